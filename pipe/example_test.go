package pipe_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"

	"github.com/uvpipe/uvpipe/pipe"
)

// A server on a unix socket path and a client dialing it: net.Listener and
// net.Conn.
func Example() {
	dir, _ := os.MkdirTemp("", "uvpipe")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "echo.sock")
	srv, _ := pipe.Listen(path)
	defer srv.Close()
	go func() {
		c, err := srv.Accept()
		if err != nil {
			return
		}
		io.Copy(c, c)
		c.Close()
	}()
	c, _ := pipe.Dial(context.Background(), path)
	c.Write([]byte("ping"))
	c.CloseWrite()
	got, _ := io.ReadAll(c)
	c.Close()
	fmt.Println(string(got))
	// Output: ping
}

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

// A one-way OS pipe, as bare-pipe's Pipe.pipe().
func ExampleOSPipe() {
	r, w, _ := pipe.OSPipe()
	w.Write([]byte("hello pipe"))
	w.Close()
	got, _ := io.ReadAll(r)
	r.Close()
	fmt.Println(string(got))
	// Output: hello pipe
}
