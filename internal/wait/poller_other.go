//go:build !linux || uvpipe_portable

package wait

import (
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
