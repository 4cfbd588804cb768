package netipc_test

import (
	"context"
	"net"
	"strings"

	"github.com/uvpipe/uvpipe/ipc/netipc"
	"github.com/uvpipe/uvpipe/pipe"
)

// listenRaw listens on the named pipe path maps to (Go's net has no named
// pipes: package pipe's, on the default loop).
func listenRaw(path string) (net.Listener, error) { return pipe.Listen(netipc.ResolvePath(path)) }

// dialRawConn dials the named pipe path maps to.
func dialRawConn(path string) (net.Conn, error) {
	return pipe.Dial(context.Background(), netipc.ResolvePath(path))
}

// peerPath is path as a JavaScript net-ipc peer is given it: without the
// \\.\pipe\ prefix, which net-ipc adds itself.
func peerPath(path string) string { return strings.TrimPrefix(path, `\\.\pipe\`) }
