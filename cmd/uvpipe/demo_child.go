package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os/exec"
	"strings"
	"time"

	"github.com/uvpipe/uvpipe/pipe"
)

// The bounds on the demo's (and bench's) waits: one step, and the whole life
// of a child; raceScale times longer under the race detector.
const (
	ioTimeout    = raceScale * 10 * time.Second
	childTimeout = raceScale * 60 * time.Second
)

// demoChild starts uvpipe itself as a child with an IPC channel on its fd 3,
// sends it a listening TCP socket, connects through that socket to the child
// serving on it, exchanges messages, then stops the child by closing the
// channel, printing each step with its timing.
func demoChild(rounds int) error {
	start := time.Now()
	child, err := startIPCChild("demo-child")
	if err != nil {
		return err
	}
	defer child.stop()
	fmt.Printf("child started (pid %d) in %v\n", child.cmd.Process.Pid, since(start))

	ln, err := net.ListenTCP("tcp", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		return err
	}
	addr := ln.Addr().String()
	start = time.Now()
	_, err = child.ipc.WriteHandle([]byte("L"), ln)
	ln.Close() // the child has its own copy now
	if err != nil {
		return fmt.Errorf("sending the listening socket: %w", err)
	}
	fmt.Printf("sent a listening socket %s in %v\n", addr, since(start))

	child.ipc.SetReadDeadline(time.Now().Add(ioTimeout))
	ready, err := bufio.NewReader(child.ipc).ReadString('\n')
	if err != nil || ready != "ready\n" {
		return fmt.Errorf("the child did not say it was serving: %q, %v", ready, err)
	}
	fmt.Printf("child is serving on it (ready %v after the send)\n", since(start))

	if err := talkThrough(addr, rounds); err != nil {
		return err
	}

	start = time.Now()
	if err := child.stop(); err != nil {
		return err
	}
	fmt.Printf("child stopped (%v) in %v\n", child.cmd.ProcessState, since(start))
	return nil
}

// talkThrough connects to the child serving on addr, prints its greeting,
// and times rounds echo round trips through it.
func talkThrough(addr string, rounds int) error {
	c, err := net.DialTimeout("tcp", addr, ioTimeout)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(childTimeout))
	r := bufio.NewReader(c)
	hello, err := r.ReadString('\n')
	if err != nil {
		return fmt.Errorf("reading the child's greeting: %w", err)
	}
	fmt.Printf("the child answered: %q\n", strings.TrimSuffix(hello, "\n"))
	took, err := echoRounds(struct {
		io.Reader
		io.Writer
	}{r, c}, rounds)
	if err != nil {
		return fmt.Errorf("echo through the child: %w", err)
	}
	fmt.Printf("round trip through the child: %d × 64 bytes, %v each\n", rounds, perRound(took, rounds))
	return nil
}

// ipcChild is a child process with an IPC pipe to it.
type ipcChild struct {
	cmd     *exec.Cmd
	ipc     *pipe.Pipe
	cancel  context.CancelFunc
	stopped bool
	err     error
}

// child exited with status 0; calling it again returns the same.
func (c *ipcChild) stop() error {
	if c.stopped {
		return c.err
	}
	c.stopped = true
	c.ipc.Close()
	err := c.cmd.Wait()
	c.cancel()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		err = fmt.Errorf("the child failed: %v", exit.ProcessState)
	}
	c.err = err
	return err
}

// since is the time since start, rounded for printing.
func since(start time.Time) time.Duration {
	return time.Since(start).Round(time.Microsecond)
}
