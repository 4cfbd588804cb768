package netipc

import "strconv"

// ClientStatus is where a net-ipc Client stands, with net-ipc's names and
// numbers (its ClientStatus, which @isdk keeps as IPCClientStatus).
type ClientStatus int

// A Client goes Idle → Connecting → Connected (socket open) → Ready (the
// server answered CONNECTION). When the connection drops, or a first
// connection fails, it goes Disconnected, then Reconnecting while it waits
// out the back-off, Idle, Connecting... again; when it gives up or is
// closed, Disconnected → Idle (after Reconnecting, only Idle).
const (
	ClientIdle ClientStatus = iota
	ClientConnecting
	ClientConnected
	ClientReady
	ClientDisconnected
	ClientReconnecting
)

var clientStatusNames = [...]string{"idle", "connecting", "connected", "ready", "disconnected", "reconnecting"}

func (s ClientStatus) String() string {
	if s >= 0 && int(s) < len(clientStatusNames) {
		return clientStatusNames[s]
	}
	return "ClientStatus(" + strconv.Itoa(int(s)) + ")"
}
