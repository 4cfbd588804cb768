//go:build linux && !uvpipe_portable

package wait

import (
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// pollOnce waits in epoll_wait on libuv's own epoll instance, on the calling
// thread, for up to ms milliseconds (-1: no limit, 0: just look). ok reports
// that something is ready; when exactly one of libuv's fds is, ev is that fd
// and its events (libuv registers each fd with the fd itself as the event's
// data), otherwise ev is None. libuv's fds are level-triggered, so what this
// wait reports is reported again to libuv's own epoll_wait in the pass that
// follows.
func (p *Poller) pollOnce(ms int) (ev Event, ok bool) {
	var evs [2]unix.EpollEvent // two slots tell one ready fd from several
	for {
		n, err := unix.EpollWait(p.fd, evs[:], ms)
		if err == unix.EINTR {
			continue
		}
		return readyOf(&evs, n)
	}
}

// readyOf is what a wait that returned n of evs saw.
func readyOf(evs *[2]unix.EpollEvent, n int) (Event, bool) {
	if n == 1 {
		return Event{FD: int(evs[0].Fd), Events: evs[0].Events}, true
	}
	return None, n > 1
}

// peek looks at the backend fd without waiting, as pollOnce(0) does, as a
// raw system call: one that cannot block need not tell the scheduler that it
// might.
func (p *Poller) peek() (Event, bool) {
	var evs [2]unix.EpollEvent
	n, _, errno := unix.RawSyscall6(unix.SYS_EPOLL_PWAIT, uintptr(p.fd), uintptr(unsafe.Pointer(&evs[0])), 2, 0, 0, 0)
	if errno != 0 {
		return None, false
	}
	return readyOf(&evs, int(n))
}

// heldWait waits in the kernel for the backend fd for up to d while the
// calling goroutine keeps its P: epoll_pwait2 as a raw system call, which the
// scheduler does not see. ok is false when nothing came: timedOut then tells
// that d passed, rather than that a signal came (the runtime's preemption
// among them) or that the kernel lacks epoll_pwait2 (holding then stops).
func (p *Poller) heldWait(d time.Duration) (ev Event, ok, timedOut bool) {
	var evs [2]unix.EpollEvent
	ts := unix.NsecToTimespec(d.Nanoseconds())
	n, _, errno := unix.RawSyscall6(unix.SYS_EPOLL_PWAIT2, uintptr(p.fd), uintptr(unsafe.Pointer(&evs[0])), 2, uintptr(unsafe.Pointer(&ts)), 0, 0)
	if errno != 0 {
		if errno == unix.ENOSYS || errno == unix.EPERM {
			p.hold.noHold = true // no epoll_pwait2 here, or a seccomp filter refuses it
		}
		return None, false, false
	}
	ev, ok = readyOf(&evs, int(n))
	return ev, ok, n == 0
}
