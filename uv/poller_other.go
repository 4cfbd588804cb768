//go:build cgo && !linux

package uv

import (
	"time"

	"golang.org/x/sys/unix"
)

// pollOnce waits in poll(2) on libuv's backend fd, on the calling thread,
// for up to ms milliseconds (-1: no limit, 0: just look). A wake-up
// (uv_async_send) makes it ready, so it never waits past one. It cannot tell
// which of libuv's fds is ready: ev is always noEvent; ok reports that
// something is.
func (p *poller) pollOnce(ms int) (ev readyEvent, ok bool) {
	fds := []unix.PollFd{{Fd: int32(p.fd), Events: unix.POLLIN}}
	for {
		n, err := unix.Poll(fds, ms)
		if err != unix.EINTR {
			return noEvent, n > 0
		}
	}
}

// peek looks at the backend fd without waiting.
func (p *poller) peek() (readyEvent, bool) { return p.pollOnce(0) }

// heldWait is Linux's (epoll_pwait2 as a raw system call); elsewhere a
// leader with one P never waits holding it.
func (p *poller) heldWait(time.Duration) (ev readyEvent, ok, timedOut bool) {
	return noEvent, false, false
}
