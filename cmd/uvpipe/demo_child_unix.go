//go:build !windows

package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"time"

	"golang.org/x/sys/unix"

	"github.com/uvpipe/uvpipe/pipe"
)

// startIPCChild starts uvpipe itself with the hidden subcommand name and one
// end of a socket pair as its fd 3; the other end is the IPC pipe to it.
func startIPCChild(name string) (*ipcChild, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, os.NewSyscallError("socketpair", err)
	}
	end := os.NewFile(uintptr(fds[1]), "ipc")
	defer end.Close() // the child has its own copy once started
	ipc, err := pipe.Config{IPC: true}.Open(fds[0])
	if err != nil {
		unix.Close(fds[0])
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), childTimeout)
	cmd := exec.CommandContext(ctx, self, name)
	cmd.ExtraFiles = []*os.File{end}
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	cmd.WaitDelay = time.Second
	if err := cmd.Start(); err != nil {
		cancel()
		ipc.Close()
		return nil, fmt.Errorf("starting the child: %w", err)
	}
	return &ipcChild{cmd: cmd, ipc: ipc, cancel: cancel}, nil
}

// stop closes the IPC pipe, which tells the child to finish, and waits for
// it (killing it if it outlives childTimeout). It returns an error unless the
