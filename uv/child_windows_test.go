//go:build cgo

package uv_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/uvpipe/uvpipe/uv"
)

// childPipeEnv names the pipe a Windows helper child connects to.
const childPipeEnv = "UVPIPE_UV_TEST_PIPE"

// runChild is the test binary re-executed with childEnv set: on Windows,
// "ipc-tcp" is the child of TestWindowsTCPHandlesBetweenProcesses,
// "post-after-close" TestPostAfterClose's.
func runChild(mode string) int {
	switch mode {
	case "post-after-close":
		return postAfterCloseChild()
	case "ipc-tcp":
		if err := ipcTCPChild(os.Getenv(childPipeEnv)); err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			return 1
		}
		return 0
	}
	return 2
}

// ipcTCPChild connects to the parent's IPC pipe, takes the TCP server it
// sends, tells the parent it listens, accepts one connection on it and
// sends that connection back, then waits for the parent to hang up.
func ipcTCPChild(name string) error {
	l, err := uv.NewLoop()
	if err != nil {
		return err
	}
	defer l.Close()
	p, err := uv.NewPipe(l, true, 0)
	if err != nil {
		return err
	}
	defer p.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := p.Connect(ctx, name); err != nil {
		return err
	}
	n, hs, err := p.ReadHandles(make([]byte, 3))
	if err != nil {
		return err
	}
	if len(hs) != 1 || n == 0 {
		return fmt.Errorf("got %d handles and %d bytes", len(hs), n)
	}
	h, err := hs[0].Handle()
	if err != nil {
		return err
	}
	srv := h.(*uv.TCP)
	defer srv.Close()
	if err := srv.Listen(0); err != nil {
		return err
	}
	if _, err := p.Write([]byte("ready")); err != nil {
		return err
	}
	c, err := srv.Accept()
	if err != nil {
		return err
	}
	if _, err := p.WriteHandleAndClose([]byte("conn"), c); err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, p)
	return err
}
