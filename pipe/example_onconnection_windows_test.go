package pipe_test

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/uvpipe/uvpipe/pipe"
)

// An event-style server (bare-pipe's 'connection' event) that answers each
// client's line and then closes the connection, shut down once its last
// connection has closed. On Windows the request ends with a newline, not
// with the client's CloseWrite: a named pipe has no half close, so the
// server would learn of the end only once the client's pipe is gone, too
// late for the reply (see Pipe.CloseWrite).
func ExampleServer_OnConnection() {
	srv, _ := pipe.Listen("") // a fresh pipe name
	srv.OnConnection(func(c *pipe.Pipe, err error) {
		if err != nil {
			return
		}
		var got []byte
		c.OnRead(func(b []byte, err error) { // runs on the loop, must not block
			if err != nil {
				c.Close()
				return
			}
			got = append(got, b...)
			if name, _, ok := bytes.Cut(got, []byte("\n")); ok {
				c.Write(append([]byte("hello, "), name...))
				c.Close() // in a handler, Close starts the close and returns
			}
		})
	})

	c, _ := pipe.Dial(context.Background(), srv.Addr().String())
	c.Write([]byte("gopher\n"))
	reply, _ := io.ReadAll(c) // the reply, then io.EOF once the server closed
	c.Close()
	fmt.Println(string(reply))

	// Stop listening now, and wait until the server's side of the
	// connection has closed too.
	fmt.Println(srv.Shutdown(context.Background()), srv.Listening(), srv.Conns())
	// Output:
	// hello, gopher
	// <nil> false 0
}
