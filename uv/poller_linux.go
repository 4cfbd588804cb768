//go:build cgo && linux

package uv

import "golang.org/x/sys/unix"

// pollOnce waits in epoll_wait on libuv's own epoll instance, on the calling
// thread, for up to ms milliseconds (-1: no limit, 0: just look). A wake-up
// (uv_async_send) makes it ready, so it never waits past one. ok reports
// that something is ready; when exactly one of libuv's fds is, ev is that fd
// and its events, for the next step to hand straight to its watcher
// (uvp_dispatch), otherwise ev is noEvent.
func (p *poller) pollOnce(ms int) (ev readyEvent, ok bool) {
	// epoll_wait on libuv's epoll instance rather than poll(2) on its fd:
	// the waker's kernel path is one level shorter. libuv's fds are
	// level-triggered, so an event reported here is reported again to
	// libuv's epoll_wait in the pass that follows. libuv registers each fd
	// with the fd itself as the event's data. Two slots tell one ready fd
	// from several, which a pass serves together.
	var evs [2]unix.EpollEvent
	for {
		n, err := unix.EpollWait(p.fd, evs[:], ms)
		if err == unix.EINTR {
			continue
		}
		if n == 1 {
			return readyEvent{fd: int(evs[0].Fd), events: evs[0].Events}, true
		}
		return noEvent, n > 1
	}
}
