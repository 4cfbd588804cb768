//go:build cgo && linux

package uv

import "golang.org/x/sys/unix"

// waitSyscall waits in a blocking epoll_wait on the calling thread. A wake-up
// (uv_async_send) makes the fd readable, so it never waits past one.
func (p *poller) waitSyscall(ms int) {
	// epoll_wait on libuv's own epoll instance rather than poll(2) on its
	// fd: the waker's kernel path is one level shorter. libuv's fds are
	// level-triggered, so an event reported here is reported again to
	// libuv's epoll_wait in the pass that follows.
	var ev [1]unix.EpollEvent
	for {
		if _, err := unix.EpollWait(p.fd, ev[:], ms); err != unix.EINTR {
			return
		}
	}
}
