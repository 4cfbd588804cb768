package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"sync/atomic"
	"time"

	"github.com/uvpipe/uvpipe/uv"
)

func init() {
	commands["demo"] = command{summary: "show the library at work: the default loop, then children (uvpipe, node) serving a socket they were sent", run: runDemo}
}

// runDemo is `uvpipe demo`: the default loop at work in this process, then a
// child process (uvpipe itself) serving a listening socket sent over IPC.
func runDemo(args []string) error {
	f := newFlags("demo", "", 0, 0, describe(`Show uvpipe at work, with nothing to set up, printing each
step with its timing. First the default loop in this process: a timer ticking
from the background leader, an event-style TCP echo server, a blocking client
whose reads lead the loop, a half close. Then a child process (uvpipe itself)
with an IPC channel: it is sent a listening TCP socket, serves on it, and this
process connects through it and exchanges messages before stopping it. Then
the same with a node child, when node is on the PATH: started with a Node IPC
channel, sent the listening socket with NODE_HANDLE, served by a net.Server in
node; without node it says it skipped that part.`))
	rounds := f.Int("n", 1000, "echo round trips to time, in each part")
	if _, err := f.parse(args); err != nil {
		return err
	}
	if *rounds < 1 {
		return usageErrorf("demo: -n must be at least 1")
	}
	if err := demoLoop(*rounds); err != nil {
		return err
	}
	if err := demoChild(*rounds); err != nil {
		return err
	}
	return demoNode(*rounds)
}

// demoLoop shows the default loop at work: a timer ticking from the
// background leader, an event-style TCP echo server, and a blocking client
// whose reads lead the loop themselves.
func demoLoop(rounds int) error {
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

	ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
	defer cancel()
	c, err := uv.DialTCP(ctx, loop, addr)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetNoDelay(true)
	took, err := echoRounds(c, rounds)
	if err != nil {
		return err
	}
	fmt.Printf("event-style TCP echo server on %s: %d round trips of 64 bytes, %v each\n", addr, rounds, perRound(took, rounds))
	time.Sleep(20 * time.Millisecond)
	fmt.Printf("timer fired %d times meanwhile (1 ms period, run by whichever goroutine led the loop)\n", ticks.Load())
	if err := c.CloseWrite(); err != nil {
		return err
	}
	if _, err := c.Read(make([]byte, 1)); err != io.EOF {
		return fmt.Errorf("expected EOF after half close, got %v", err)
	}
	fmt.Println("half close answered with EOF")
	return nil
}

// echoRounds sends rounds messages of 64 bytes to an echo server on c, each
// after the echo of the one before, and returns how long they took.
func echoRounds(c io.ReadWriter, rounds int) (time.Duration, error) {
	msg := make([]byte, 64)
	got := make([]byte, 64)
	start := time.Now()
	for i := 0; i < rounds; i++ {
		msg[0] = byte(i)
		if _, err := c.Write(msg); err != nil {
			return 0, err
		}
		if _, err := io.ReadFull(c, got); err != nil {
			return 0, err
		}
		if got[0] != byte(i) {
			return 0, fmt.Errorf("echo %d came back as %d", i, got[0])
		}
	}
	return time.Since(start), nil
}

// perRound is the time each of rounds took, rounded for printing.
func perRound(took time.Duration, rounds int) time.Duration {
	return (took / time.Duration(rounds)).Round(10 * time.Nanosecond)
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
