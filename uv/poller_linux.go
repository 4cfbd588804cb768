//go:build cgo && linux

package uv

import (
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

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
		return readyOf(&evs, n)
	}
}

// readyOf is what a wait that returned n of evs saw.
func readyOf(evs *[2]unix.EpollEvent, n int) (readyEvent, bool) {
	if n == 1 {
		return readyEvent{fd: int(evs[0].Fd), events: evs[0].Events}, true
	}
	return noEvent, n > 1
}

// peek looks at the backend fd without waiting, as pollOnce(0) does, but as
// a raw system call: one that cannot block need not tell the scheduler that
// it might (entersyscall and exitsyscall, a third of a look's cost).
func (p *poller) peek() (readyEvent, bool) {
	var evs [2]unix.EpollEvent
	n, _, errno := unix.RawSyscall6(unix.SYS_EPOLL_PWAIT, uintptr(p.fd), uintptr(unsafe.Pointer(&evs[0])), 2, 0, 0, 0)
	if errno != 0 {
		return noEvent, false
	}
	return readyOf(&evs, int(n))
}

// heldWait waits in the kernel for the backend fd for up to d while the
// calling goroutine keeps its P: epoll_pwait2 (Linux 5.11) as a raw system
// call, which the scheduler does not see. ok is false when nothing came:
// timedOut then tells that d passed, rather than that a signal came (the
// runtime's preemption among them: the caller then reaches the scheduler)
// or that the kernel lacks epoll_pwait2 (p.noHold is then set, and
// holdWait holds no more).
func (p *poller) heldWait(d time.Duration) (ev readyEvent, ok, timedOut bool) {
	var evs [2]unix.EpollEvent
	ts := unix.NsecToTimespec(d.Nanoseconds())
	n, _, errno := unix.RawSyscall6(unix.SYS_EPOLL_PWAIT2, uintptr(p.fd), uintptr(unsafe.Pointer(&evs[0])), 2, uintptr(unsafe.Pointer(&ts)), 0, 0)
	if errno != 0 {
		if errno == unix.ENOSYS || errno == unix.EPERM {
			p.noHold = true // no epoll_pwait2 here (or a seccomp filter refuses it)
		}
		return noEvent, false, false
	}
	ev, ok = readyOf(&evs, int(n))
	return ev, ok, n == 0
}
