package ipc

import "github.com/uvpipe/uvpipe/ipc/jsvalue"

// The requests a Node sender makes about the sockets it sent with a key
// (connections accepted by its net.Server), and the answers.
const (
	cmdSocketNotifyClose = "NODE_SOCKET_NOTIFY_CLOSE"
	cmdSocketAllClosed   = "NODE_SOCKET_ALL_CLOSED"
	cmdSocketGetCount    = "NODE_SOCKET_GET_COUNT"
	cmdSocketCount       = "NODE_SOCKET_COUNT"
)

// answerSocketList answers a Node parent's server that asks about the
// connections it sent (its server.close() waits for NODE_SOCKET_ALL_CLOSED,
// its getConnections for NODE_SOCKET_COUNT). A received connection belongs
// to the Go program from Recv on, which this package does not follow, so it
// answers at once that none are left: the server's close completes and its
// count leaves them out.
func (c *Channel) answerSocketList(cmd string, req *jsvalue.Object) {
	key, _ := req.Get("key")
	if cmd == cmdSocketNotifyClose {
		c.writeInternalMessage(jsvalue.NewObject("cmd", cmdSocketAllClosed, "key", key))
		return
	}
	c.writeInternalMessage(jsvalue.NewObject("cmd", cmdSocketCount, "key", key, "count", 0))
}
