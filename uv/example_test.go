//go:build cgo

package uv_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/uvpipe/uvpipe/uv"
)

// The default loop runs itself: handlers and timers run on whichever
// goroutine leads it, and blocking calls lead it when they need to.
func Example() {
	done := make(chan struct{})
	t, _ := uv.NewTimer(nil, func() { close(done) })
	t.Start(time.Millisecond, 0)
	<-done
	t.Close()
	fmt.Println("the timer fired on the default loop")
	// Output: the timer fired on the default loop
}

// An event-style TCP echo server on a loop of its own, and a blocking
// client on the default loop.
func ExampleTCP_OnConnection() {
	loop, _ := uv.NewLoop()
	defer loop.Close()
	srv, _ := uv.NewTCP(loop)
	srv.Bind(&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)})
	srv.OnConnection(func(err error) {
		if err != nil {
			return
		}
		c, err := srv.Accept() // inside a handler: does not wait
		if err != nil {
			return
		}
		c.OnRead(func(data []byte, err error) {
			if err != nil {
				c.Close()
				return
			}
			c.Write(data) // the reply, from inside the read callback
		})
	})
	srv.Listen(0)

	c, _ := uv.DialTCP(context.Background(), nil, srv.LocalAddr())
	c.Write([]byte("hello"))
	c.CloseWrite()
	got, _ := io.ReadAll(c)
	c.Close()
	fmt.Println(string(got))
	// Output: hello
}

// Do runs a function under the loop lock, on the calling goroutine.
func ExampleLoop_Do() {
	loop, _ := uv.NewLoop()
	defer loop.Close()
	loop.Do(func() {
		fmt.Println("handles open:", loop.HandleCount())
	})
	// Output: handles open: 0
}
