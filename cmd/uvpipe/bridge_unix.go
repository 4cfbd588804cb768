//go:build !windows

package main

import (
	"os"

	"golang.org/x/sys/unix"

	"github.com/uvpipe/uvpipe/pipe"
)

// hangupPollMillis bounds each poll of watchHangup, and so how long it
// outlives its bridge.
const hangupPollMillis = 100

// watchHangup returns a channel closed once p's socket reports POLLHUP: the
// peer has closed its socket, not just its writing side (for a unix socket
// the kernel sets it only when both directions are shut). It polls a
// duplicate of the fd in short rounds, until stop is closed.
func watchHangup(p *pipe.Pipe, stop <-chan struct{}) <-chan struct{} {
	gone := make(chan struct{})
	f, err := p.File()
	if err != nil {
		return gone // no way to tell: the bridge waits for the input to end
	}
	rc, err := f.SyscallConn()
	if err != nil {
		f.Close()
		return gone
	}
	go func() {
		defer f.Close()
		// Control, not f.Fd: Fd would make the shared file description
		// blocking under libuv's feet.
		rc.Control(func(fd uintptr) {
			fds := []unix.PollFd{{Fd: int32(fd)}}
			for {
				select {
				case <-stop:
					return
				default:
				}
				fds[0].Revents = 0
				if _, err := unix.Poll(fds, hangupPollMillis); err != nil && err != unix.EINTR {
					return
				}
				if fds[0].Revents&(unix.POLLHUP|unix.POLLERR) != 0 {
					close(gone)
					return
				}
			}
		})
	}()
	return gone
}

// endStdout ends stdout for whoever reads it (they see EOF) without freeing
// fd 1 for reuse: /dev/null takes its place.
func endStdout() {
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		return
	}
	defer null.Close()
	unix.Dup2(int(null.Fd()), 1)
}
