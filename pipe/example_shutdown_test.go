//go:build !windows

// Not on Windows: this client asks for the reply by ending its writing side,
// and a named pipe has no half close, so the server learns of the end only
// once the client's pipe is gone (see Pipe.CloseWrite). The Windows variant,
// in example_onconnection_windows_test.go, ends a request with a newline.

package pipe_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/uvpipe/uvpipe/pipe"
)

// An event-style server (bare-pipe's 'connection' event) that answers each
// client at its end, shut down once its last connection has closed.
func ExampleServer_OnConnection() {
	dir, _ := os.MkdirTemp("", "uvpipe")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "hello.sock")
	srv, _ := pipe.Listen(path)
	srv.OnConnection(func(c *pipe.Pipe, err error) {
		if err != nil {
			return
		}
		var got []byte
		c.OnRead(func(b []byte, err error) { // runs on the loop, must not block
			if err == nil {
				got = append(got, b...)
				return
			}
			c.Write(append([]byte("hello, "), got...))
			c.CloseWrite()
			c.Close() // in a handler, Close starts the close and returns
		})
	})

	c, _ := pipe.Dial(context.Background(), path)
	c.Write([]byte("gopher"))
	c.CloseWrite()
	reply, _ := io.ReadAll(c)
	c.Close()
	fmt.Println(string(reply))

	// Stop listening now, and wait until the server's side of the
	// connection has closed too.
	fmt.Println(srv.Shutdown(context.Background()), srv.Listening(), srv.Conns())
	// Output:
	// hello, gopher
	// <nil> false 0
}
