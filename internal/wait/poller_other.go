//go:build (!linux || uvpipe_portable) && !windows

package wait

import (
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// pollOnce waits in poll(2) on libuv's backend fd for up to ms milliseconds
// (-1: no limit, 0: just look). It cannot tell which of libuv's fds is
// ready: ev is always None; ok reports that something is.
func (p *Poller) pollOnce(ms int) (ev Event, ok bool) {
	fds := []unix.PollFd{{Fd: int32(p.fd), Events: unix.POLLIN}}
	for {
		n, err := unix.Poll(fds, ms)
		if err != unix.EINTR {
			return None, n > 0
		}
	}
}

// peek looks at the backend fd without waiting.
func (p *Poller) peek() (Event, bool) { return p.pollOnce(0) }

// heldWait is Linux's; elsewhere a leader with one P never holds it.
func (p *Poller) heldWait(time.Duration) (ev Event, ok, timedOut bool) {
	return None, false, false
}

// runtimeNetpollFD is Linux's (netwatch_linux.go); elsewhere the leader
// relies on its timed breaths.
func runtimeNetpollFD(int) int { return -1 }

// netStillReady is Linux's.
func (p *Poller) netStillReady() bool { return false }

// nonblockingPipe makes a pipe whose ends are non-blocking and close on exec.
func nonblockingPipe() ([2]int, error) {
	var fds [2]int
	if err := unix.Pipe(fds[:]); err != nil {
		return fds, os.NewSyscallError("pipe", err)
	}
	for _, fd := range fds {
		unix.CloseOnExec(fd)
		if err := unix.SetNonblock(fd, true); err != nil {
			unix.Close(fds[0])
			unix.Close(fds[1])
			return fds, os.NewSyscallError("fcntl", err)
		}
	}
	return fds, nil
}

// watchNetpoll is Linux's.
func (p *Poller) watchNetpoll(int) {}
