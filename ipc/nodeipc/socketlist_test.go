//go:build linux

package nodeipc_test

import (
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/uvpipe/uvpipe/ipc/nodeipc"
)

// A socket received with a key counts as open for the sender's server until
// the program has closed every fd of it (a net.Conn made from the handle
// here): NODE_SOCKET_GET_COUNT answers the count, and
// NODE_SOCKET_NOTIFY_CLOSE is answered with NODE_SOCKET_ALL_CLOSED only
// once it is 0. Linux only (the test peer sends an fd); on Windows the
// socketlist scenario of TestNodeParentGoChild checks it against node.exe.
func TestSocketListFollowsReceivedSockets(t *testing.T) {
	ch, p := rawPair(t, nodeipc.JSON)
	m := receiveKeyedSocket(t, ch, p, "4:127.0.0.1:0")
	conn, err := m.Handle.Conn()
	require.NoError(t, err)

	p.write(`{"cmd":"NODE_SOCKET_GET_COUNT","key":"4:127.0.0.1:0"}` + "\n")
	require.Equal(t, `{"cmd":"NODE_SOCKET_COUNT","key":"4:127.0.0.1:0","count":1}`+"\n", p.line())
	p.write(`{"cmd":"NODE_SOCKET_GET_COUNT","key":"other"}` + "\n")
	require.Equal(t, `{"cmd":"NODE_SOCKET_COUNT","key":"other","count":0}`+"\n", p.line())

	// The close request waits: the count asked after it is answered first.
	p.write(`{"cmd":"NODE_SOCKET_NOTIFY_CLOSE","key":"4:127.0.0.1:0"}` + "\n")
	p.write(`{"cmd":"NODE_SOCKET_GET_COUNT","key":"4:127.0.0.1:0"}` + "\n")
	require.Equal(t, `{"cmd":"NODE_SOCKET_COUNT","key":"4:127.0.0.1:0","count":1}`+"\n", p.line())
	require.NoError(t, conn.Close())
	require.Equal(t, `{"cmd":"NODE_SOCKET_ALL_CLOSED","key":"4:127.0.0.1:0"}`+"\n", p.line())

	p.write(`{"cmd":"NODE_SOCKET_NOTIFY_CLOSE","key":"4:127.0.0.1:0"}` + "\n")
	require.Equal(t, `{"cmd":"NODE_SOCKET_ALL_CLOSED","key":"4:127.0.0.1:0"}`+"\n", p.line())
}

// A close request still waiting when the channel closes: no goroutine is
// left behind (the suite's leak check) and nothing panics.
func TestSocketListWaitingAtClose(t *testing.T) {
	ch, p := rawPair(t, nodeipc.JSON)
	m := receiveKeyedSocket(t, ch, p, "k")
	defer m.Handle.Close()
	p.write(`{"cmd":"NODE_SOCKET_NOTIFY_CLOSE","key":"k"}` + "\n" + `{"cmd":"NODE_SOCKET_GET_COUNT","key":"k"}` + "\n")
	require.Equal(t, `{"cmd":"NODE_SOCKET_COUNT","key":"k","count":1}`+"\n", p.line())
	require.NoError(t, ch.Close())
}

// receiveKeyedSocket has p send one end of a fresh socket pair as a
// net.Socket with key, and returns the message the channel delivers.
func receiveKeyedSocket(t *testing.T, ch *nodeipc.Channel, p *rawPeer, key string) nodeipc.Message {
	t.Helper()
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	require.NoError(t, err)
	t.Cleanup(func() { unix.Close(fds[1]) })
	p.sendFD(`{"cmd":"NODE_HANDLE","type":"net.Socket","msg":"s","key":"`+key+`"}`+"\n", fds[0])
	unix.Close(fds[0]) // the channel has its own copy now
	m := recv(t, ch)
	require.Equal(t, `{"cmd":"NODE_HANDLE_ACK"}`+"\n", p.line())
	require.Equal(t, key, m.Key)
	return m
}
