//go:build !windows

// ExamplePipe_WriteHandle passes a unix socket pair's end: on Windows libuv
// passes TCP handles only.

package pipe_test

import (
	"fmt"
	"net"

	"github.com/uvpipe/uvpipe/pipe"
)

// Handle passing over a socket pair: a Go *net.TCPListener goes one way
// with a byte, and the other end takes it back as a net.Listener.
func ExamplePipe_WriteHandle() {
	a, b, _ := pipe.SocketPair()
	defer a.Close()
	defer b.Close()
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	a.WriteHandle([]byte("L"), ln)
	ln.Close() // the sender's copy; the receiver's stays open

	buf := make([]byte, 8)
	n, hs, _ := b.ReadHandles(buf)
	l, _ := hs[0].Listener()
	defer l.Close()
	fmt.Println(string(buf[:n]), hs[0].Kind(), l.Addr().Network())
	// Output: L tcp listener tcp
}
