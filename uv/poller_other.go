//go:build cgo && !linux

package uv

import (
	"time"

	"golang.org/x/sys/unix"
)

// waitSyscall waits in a blocking poll(2) on the calling thread. A wake-up
// (uv_async_send) makes the fd readable, so it never waits past one.
func (p *poller) waitSyscall(timeoutMs int, d time.Time) {
	ms := -1
	if !d.IsZero() {
		ms = int(time.Until(d)/time.Millisecond) + 1
		if ms < 0 {
			ms = 0
		}
	}
	fds := []unix.PollFd{{Fd: int32(p.fd), Events: unix.POLLIN}}
	for {
		if _, err := unix.Poll(fds, ms); err != unix.EINTR {
			return
		}
	}
}
