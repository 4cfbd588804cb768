package wait

import (
	"os"
	"runtime"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// Event is one fd that a wait saw ready, with its epoll events. FD is -1
// when the wait cannot say which (nothing ready, several fds, a wait in the
// netpoller, a system without epoll).
type Event struct {
	FD     int
	Events uint32
}

// None is the Event of a wait that cannot name one ready fd.
var None = Event{FD: -1}

// Stats counts how a poller's waits ended, for tests and benchmarks.
type Stats struct {
	SpinHits uint64 // waits the spin ended
	Holds    uint64 // waits that held the P
	HoldHits uint64 // of those, the ones an event ended
	Blocked  uint64 // waits that blocked in the kernel (after any spin or hold)
	Breaths  uint64 // waits made in Go's netpoller to let the scheduler poll the network
}

// Poller waits for a loop's backend fd to become readable. It holds a
// duplicate of the fd, so closing it never closes libuv's. Only the loop's
// leader calls Wait, one call at a time, without the loop lock.
type Poller struct {
	f        *os.File
	rc       syscall.RawConn
	fd       int
	cfg      Config
	deadline time.Time // the read deadline set on f (netpoller waits)
	breath   time.Time // when a wait last parked in the netpoller
	hold     holdState
	sched    sched
	counts   counters
}

// counters are the poller's Stats, written by the leader while it waits
// and read by anyone.
type counters struct {
	spinhits, holds, holdhits, blocked, breaths atomic.Uint64
}

// NewPoller makes a poller for backendFD as configured.
func NewPoller(backendFD int, c Config) (*Poller, error) {
	fd, err := unix.FcntlInt(uintptr(backendFD), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		return nil, os.NewSyscallError("fcntl", err)
	}
	p := &Poller{fd: fd, cfg: c.resolved()}
	p.sched.init()
	if p.cfg.Netpoller {
		if err := p.register(); err != nil {
			unix.Close(fd)
			return nil, err
		}
	}
	return p, nil
}

// register makes the fd known to Go's netpoller, for waits that park there.
// Only those register it: a registered fd makes the netpoller wake on its
// every readiness edge.
func (p *Poller) register() error {
	if p.f != nil {
		return nil
	}
	// O_NONBLOCK makes os.NewFile register the fd with the netpoller;
	// epoll_wait on the same file ignores the flag.
	if err := unix.SetNonblock(p.fd, true); err != nil {
		return os.NewSyscallError("fcntl", err)
	}
	f := os.NewFile(uintptr(p.fd), "uv-backend")
	rc, err := f.SyscallConn()
	if err != nil {
		f.Close()
		p.fd = -1
		return err
	}
	p.f, p.rc = f, rc
	return nil
}

// Config returns the poller's configuration, with the defaults resolved.
func (p *Poller) Config() Config { return p.cfg }

// Stats returns the counts of the poller's waits so far.
func (p *Poller) Stats() Stats {
	c := &p.counts
	return Stats{SpinHits: c.spinhits.Load(), Holds: c.holds.Load(), HoldHits: c.holdhits.Load(), Blocked: c.blocked.Load(), Breaths: c.breaths.Load()}
}

// Close releases the poller's duplicate of the fd.
func (p *Poller) Close() error {
	if p.f != nil {
		return p.f.Close()
	}
	if p.fd < 0 {
		return nil
	}
	return unix.Close(p.fd)
}

// Wait returns when the backend fd is readable, after timeoutMs
// milliseconds (libuv's next timer; -1 for none, 0 to return at once), or at
// until (zero for none). ranWork says that the pass before it ran handlers
// or woke followers: goroutines that may now be runnable. It returns the one
// fd that was ready, when it knows it.
//
// The order of a wait: yield the P if someone may want it (twice: the
// runtime's scheduler sometimes looks at the global run queue, where a
// yield puts the leader, before the local one); with one P, park in the
// netpoller if the last such wait is Config.Breath ago; with more than one P
// and more than one CPU, spin (Config.Spin); with one P and nobody waiting
// for it, hold (Config.Hold); then block in the kernel, or park in the
// netpoller.
func (p *Poller) Wait(timeoutMs int, until time.Time, ranWork bool) Event {
	if timeoutMs == 0 {
		return None
	}
	d := until
	if timeoutMs > 0 {
		if t := time.Now().Add(time.Duration(timeoutMs) * time.Millisecond); d.IsZero() || t.Before(d) {
			d = t
		}
	}
	if p.cfg.Netpoller {
		p.parkInNetpoller(d)
		return None
	}
	procs := p.sched.procs()
	yield, mayHold := ranWork, false
	if procs == 1 {
		// With one P, a goroutine made runnable before the pass (a worker
		// sent a message) waits for the P too; and the P may be held only
		// when nobody wants it now or on return from a system call.
		runnable, outside := p.sched.counts()
		yield = yield || runnable > 0
		mayHold = !yield && outside == 0
	}
	if yield {
		runtime.Gosched()
		runtime.Gosched()
	}
	if procs == 1 && p.breathe(d) {
		return None
	}
	ms := untilMs(d)
	if procs > 1 && numCPU > 1 {
		if ev, ok := p.spin(ms); ok {
			return ev
		}
	}
	if mayHold {
		if ev, ok := p.holdWait(ms); ok {
			return ev
		}
	}
	p.counts.blocked.Add(1)
	ev, _ := p.pollOnce(ms)
	return ev
}

// breathEvery bounds how long, with one P, a leader goes without waiting in
// Go's netpoller. The scheduler polls the network only when it has no
// goroutine to run (or from its monitor, rarely): a leader that always waits
// in the kernel, with its goroutines always runnable or in system calls,
// would keep the other goroutines of the process from their sockets.
// Parking now and then lets the scheduler run out of work and poll.
const breathEvery = 100 * time.Microsecond

// numCPU is the number of CPUs the process may run on: a spin only pays when
// another CPU can run the answer meanwhile.
var numCPU = runtime.NumCPU()

// breathe parks in the netpoller until the backend fd is readable or d
// passes, if the last wait that did is Config.Breath ago, and reports whether
// it did.
func (p *Poller) breathe(d time.Time) bool {
	if p.cfg.Breath < 0 {
		return false
	}
	now := time.Now()
	if now.Sub(p.breath) < p.cfg.Breath {
		return false
	}
	p.breath = now
	if p.register() != nil {
		return false
	}
	p.counts.breaths.Add(1)
	p.parkInNetpoller(d)
	return true
}

// parkInNetpoller waits as a goroutine in Go's netpoller until the backend
// fd is readable or d passes.
func (p *Poller) parkInNetpoller(d time.Time) {
	if !d.Equal(p.deadline) {
		p.f.SetReadDeadline(d)
		p.deadline = d
	}
	first := true
	p.rc.Read(func(fd uintptr) bool {
		if !first {
			return true
		}
		first = false
		// The netpoller reports edges; look once at the level, so that
		// readiness left over from the last pass is not waited for again.
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
		n, _ := unix.Poll(fds, 0)
		return n > 0
	})
}

// untilMs is the time until d in whole milliseconds, rounded up, for a
// syscall's timeout; -1 (none) for a zero d.
func untilMs(d time.Time) int {
	if d.IsZero() {
		return -1
	}
	return max(int(time.Until(d)/time.Millisecond)+1, 0)
}

// capToTimeout is how long a wait may spin or hold its P: d, never past ms
// milliseconds (libuv's timeout; -1 for none). full reports that d itself,
// not the timeout, is the bound.
func capToTimeout(d time.Duration, ms int) (budget time.Duration, full bool) {
	if t := time.Duration(ms) * time.Millisecond; ms >= 0 && t < d {
		return t, false
	}
	return d, true
}
