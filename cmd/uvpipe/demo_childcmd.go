package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"time"

	"github.com/uvpipe/uvpipe/pipe"
)

func init() {
	commands["demo-child"] = command{summary: "the demo's child", hidden: true, run: runDemoChild}
}

// runDemoChild is the child of `uvpipe demo`: it receives a listening socket
// on the IPC pipe that is its fd 3, says "ready", and serves a greeting and
// an echo on that socket until the parent closes the pipe.
func runDemoChild(args []string) error {
	f := newFlags("demo-child", "", 0, 0, describe(`The child that 'uvpipe demo' starts, with an IPC
pipe as fd 3: it serves a greeting and an echo on the listening socket it is
sent, until the pipe closes.`))
	if _, err := f.parse(args); err != nil {
		return err
	}
	ipc, err := pipe.Config{IPC: true}.Open(3)
	if err != nil {
		return fmt.Errorf("demo-child: fd 3 is not the IPC pipe 'uvpipe demo' gives its child: %w", err)
	}
	defer ipc.Close()
	ln, err := receiveListener(ipc)
	if err != nil {
		return fmt.Errorf("demo-child: %w", err)
	}
	var conns sync.WaitGroup
	conns.Go(func() { serveGreetingEcho(ln, &conns) })
	if _, err := ipc.Write([]byte("ready\n")); err != nil {
		ln.Close()
		return err
	}
	io.Copy(io.Discard, ipc) // until the parent closes its end
	ln.Close()
	conns.Wait()
	return nil
}

// receiveListener reads from ipc until a handle arrives (within ioTimeout),
// and returns it as a net.Listener.
func receiveListener(ipc *pipe.Pipe) (net.Listener, error) {
	ipc.SetReadDeadline(time.Now().Add(ioTimeout))
	defer ipc.SetReadDeadline(time.Time{})
	buf := make([]byte, 16)
	for {
		_, hs, err := ipc.ReadHandles(buf)
		if len(hs) > 0 {
			for _, h := range hs[1:] {
				h.Close()
			}
			return hs[0].Listener()
		}
		if err != nil {
			return nil, fmt.Errorf("waiting for a listening socket: %w", err)
		}
	}
}

// serveGreetingEcho greets each connection on ln with a line, then echoes
// it, until ln closes; conns counts the connections being served.
func serveGreetingEcho(ln net.Listener, conns *sync.WaitGroup) {
	for {
		c, err := ln.Accept()
		if errors.Is(err, net.ErrClosed) {
			return
		}
		if err != nil {
			time.Sleep(10 * time.Millisecond) // EMFILE, say: do not spin
			continue
		}
		conns.Go(func() {
			defer c.Close()
			fmt.Fprintf(c, "hello from uvpipe demo-child (pid %d), serving the socket it was sent\n", os.Getpid())
			io.Copy(c, bufio.NewReader(c))
		})
	}
}
