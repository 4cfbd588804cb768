//go:build cgo && !linux

package uv

import "golang.org/x/sys/unix"

// waitSyscall waits in a blocking poll(2) on the calling thread. A wake-up
// (uv_async_send) makes the fd readable, so it never waits past one. It
// cannot tell which of libuv's fds is ready: it returns none.
func (p *poller) waitSyscall(ms int) readyEvent {
	fds := []unix.PollFd{{Fd: int32(p.fd), Events: unix.POLLIN}}
	for {
		if _, err := unix.Poll(fds, ms); err != unix.EINTR {
			return noEvent
		}
	}
}
