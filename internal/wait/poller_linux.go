//go:build linux && !uvpipe_portable

package wait

import (
	"os"
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
//
// While p.watchNet is set it also watches Go's netpoller (netwatch_linux.go)
// and sets p.netSeen when that has events to collect.
func (p *Poller) pollOnce(ms int) (ev Event, ok bool) {
	if p.watchNet {
		var ts *unix.Timespec
		if ms >= 0 {
			t := unix.NsecToTimespec(int64(ms) * 1e6)
			ts = &t
		}
		for {
			uv, net, interrupted := p.lookBoth(ts, false)
			if interrupted {
				continue
			}
			return p.sawBoth(uv, net)
		}
	}
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
	if p.watchNet {
		var zero unix.Timespec
		uv, net, _ := p.lookBoth(&zero, true)
		return p.sawBoth(uv, net)
	}
	return p.peekUV()
}

// sawBoth is what a wait that watched both fds saw: libuv's ready fd, if
// uv, looked up with peekUV; netSeen set if net. ok reports either.
func (p *Poller) sawBoth(uv, net bool) (Event, bool) {
	if net {
		p.netSeen = true
	}
	if !uv {
		return None, net
	}
	ev, _ := p.peekUV()
	return ev, true
}

// peekUV looks at libuv's backend fd alone without waiting.
func (p *Poller) peekUV() (Event, bool) {
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
	ts := unix.NsecToTimespec(d.Nanoseconds())
	if p.watchNet {
		uv, net, interrupted := p.lookBoth(&ts, true)
		if interrupted {
			return None, false, false
		}
		ev, ok = p.sawBoth(uv, net)
		return ev, uv, !ok
	}
	var evs [2]unix.EpollEvent
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

// nonblockingPipe makes a pipe whose ends are non-blocking and close on exec.
func nonblockingPipe() ([2]int, error) {
	var fds [2]int
	if err := unix.Pipe2(fds[:], unix.O_CLOEXEC|unix.O_NONBLOCK); err != nil {
		return fds, os.NewSyscallError("pipe2", err)
	}
	return fds, nil
}
