package pipe_test

import (
	"context"
	"fmt"
	"io"
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
