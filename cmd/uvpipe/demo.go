package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"sync/atomic"
	"time"

	"github.com/uvpipe/uvpipe/uv"
)

// runDemo shows the default loop at work: a timer ticking from the background
// leader, an event-style TCP echo server, and a blocking client whose reads
// lead the loop themselves.
func runDemo(args []string) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	rounds := fs.Int("n", 10000, "echo round trips to time")
	if err := fs.Parse(args); err != nil {
		return err
	}
	loop := uv.Default()
	fmt.Printf("libuv %s, default loop started\n", uv.Version())

	var ticks atomic.Int64
	timer, err := uv.NewTimer(loop, func() { ticks.Add(1) })
	if err != nil {
		return err
	}
	defer timer.Close()
	if err := timer.Start(time.Millisecond, time.Millisecond); err != nil {
		return err
	}

	srv, err := echoServer(loop)
	if err != nil {
		return err
	}
	defer srv.Close()
	addr := srv.LocalAddr()
	fmt.Printf("event-style TCP echo server listening on %s\n", addr)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := uv.DialTCP(ctx, loop, addr)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetNoDelay(true)
	msg := make([]byte, 64)
	got := make([]byte, 64)
	start := time.Now()
	for i := 0; i < *rounds; i++ {
		msg[0] = byte(i)
		if _, err := c.Write(msg); err != nil {
			return err
		}
		if _, err := io.ReadFull(c, got); err != nil {
			return err
		}
		if got[0] != byte(i) {
			return fmt.Errorf("echo %d came back as %d", i, got[0])
		}
	}
	took := time.Since(start)
	fmt.Printf("%d round trips of 64 bytes through the loop: %v each\n", *rounds, (took / time.Duration(*rounds)).Round(10*time.Nanosecond))
	time.Sleep(20 * time.Millisecond)
	fmt.Printf("timer fired %d times meanwhile (1 ms period, run by whichever goroutine led the loop)\n", ticks.Load())
	if err := c.CloseWrite(); err != nil {
		return err
	}
	if _, err := c.Read(got); err != io.EOF {
		return fmt.Errorf("expected EOF after half close, got %v", err)
	}
	fmt.Println("half close answered with EOF; closing")
	return nil
}

// echoServer listens on a loopback port and echoes every connection from
// inside libuv's read callback.
func echoServer(loop *uv.Loop) (*uv.TCP, error) {
	srv, err := uv.NewTCP(loop)
	if err != nil {
		return nil, err
	}
	if err := srv.Bind(&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)}); err != nil {
		srv.Close()
		return nil, err
	}
	srv.OnConnection(func(err error) {
		if err != nil {
			return
		}
		c, err := srv.Accept()
		if err != nil {
			return
		}
		c.SetNoDelay(true)
		c.OnRead(func(data []byte, err error) {
			if err != nil {
				c.Close()
				return
			}
			c.Write(data)
		})
	})
	if err := srv.Listen(0); err != nil {
		srv.Close()
		return nil, err
	}
	return srv, nil
}
