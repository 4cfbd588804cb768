//go:build cgo && linux

package uv

import "golang.org/x/sys/unix"

// waitSyscall waits in a blocking epoll_wait on the calling thread. A wake-up
// (uv_async_send) makes the fd readable, so it never waits past one. When
// exactly one of libuv's fds is ready it returns that fd and its events, for
// the next step to hand straight to its watcher (uvp_dispatch); otherwise
// none.
func (p *poller) waitSyscall(ms int) readyEvent {
	// epoll_wait on libuv's own epoll instance rather than poll(2) on its
	// fd: the waker's kernel path is one level shorter. libuv's fds are
	// level-triggered, so an event reported here is reported again to
	// libuv's epoll_wait in the pass that follows. libuv registers each fd
	// with the fd itself as the event's data. Two slots tell one ready fd
	// from several, which a pass serves together.
	var ev [2]unix.EpollEvent
	for {
		n, err := unix.EpollWait(p.fd, ev[:], ms)
		if err == unix.EINTR {
			continue
		}
		if n == 1 {
			return readyEvent{fd: int(ev[0].Fd), events: ev[0].Events}
		}
		return noEvent
	}
}
