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
	SpinHits uint64 // waits the spin ended (an event of libuv's or of Go's netpoller)
	Holds    uint64 // waits that held the P
	HoldHits uint64 // of those, the ones an event ended
	Blocked  uint64 // waits that blocked in the kernel (after any spin or hold)
	Breaths  uint64 // waits made in Go's netpoller to let the scheduler poll the network
	NetWakes uint64 // of those, the ones made because Go's netpoller had events (netwatch_linux.go)
}

// Poller waits for a loop's backend fd to become readable. It holds a
// duplicate of the fd, so closing it never closes libuv's. Only the loop's
// leader calls Wait, one call at a time, without the loop lock.
type Poller struct {
	f            *os.File
	rc           syscall.RawConn
	fd           int
	cfg          Config
	deadline     time.Time       // the read deadline set on f (netpoller waits)
	breath       time.Time       // when a wait last let the scheduler poll (breathe)
	nudgeR       *os.File        // the read end of breathe's pipe, in the netpoller
	nudge        syscall.RawConn // nudgeR's
	nudgeRfd     int             // nudgeR's fd
	nudgeW       int             // its write end
	netfd        int             // the runtime's netpoll epoll fd, shared by all pollers; -1 if unknown
	wfd          int             // an epoll instance watching fd and netfd (watchNetpoll); -1 if none
	watchNet     bool            // the waits of this Wait also watch netfd
	netSeen      bool            // a wait saw events in Go's netpoller
	netMuted     time.Time       // when a breath left Go's netpoller readable: not watched for Config.Breath
	netLook      time.Time       // when watchesNet last looked at Go's netpoller
	netBusyUntil time.Time       // the waits watch Go's netpoller until then
	hold         holdState
	sched        sched
	counts       counters
}

// counters are the poller's Stats, written by the leader while it waits
// and read by anyone.
type counters struct {
	spinhits, holds, holdhits, blocked, breaths, netwakes atomic.Uint64
}

// NewPoller makes a poller for backendFD as configured.
func NewPoller(backendFD int, c Config) (*Poller, error) {
	fd, err := unix.FcntlInt(uintptr(backendFD), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		return nil, os.NewSyscallError("fcntl", err)
	}
	p := &Poller{fd: fd, cfg: c.resolved(), netfd: -1, wfd: -1}
	p.sched.init()
	if p.cfg.Netpoller {
		if err := p.register(); err != nil {
			unix.Close(fd)
			return nil, err
		}
		return p, nil
	}
	if p.cfg.Breath >= 0 && p.openNudge() == nil {
		// Not nudgeR.Fd(), which would make the file blocking.
		if netfd := runtimeNetpollFD(p.nudgeRfd); netfd >= 0 {
			p.watchNetpoll(netfd)
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
	return Stats{SpinHits: c.spinhits.Load(), Holds: c.holds.Load(), HoldHits: c.holdhits.Load(), Blocked: c.blocked.Load(), Breaths: c.breaths.Load(), NetWakes: c.netwakes.Load()}
}

// Close releases the poller's duplicate of the fd, and its pipe.
func (p *Poller) Close() error {
	if p.nudgeR != nil {
		p.nudgeR.Close()
		unix.Close(p.nudgeW)
	}
	if p.wfd >= 0 {
		unix.Close(p.wfd)
	}
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
// yield puts the leader, before the local one); with one P, let the
// scheduler poll the network if it last did Config.Breath ago (breathe);
// with more than one P
// and more than one CPU, spin (Config.Spin); with one P and nobody waiting
// for it, hold (Config.Hold); then block in the kernel, or park in the
// netpoller. The spin, the hold and (with one P) the blocking wait also
// watch Go's netpoller: when it has events to collect, the wait ends and
// the leader breathes at once (netwatch_linux.go).
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
	p.watchNet = p.watchesNet()
	if procs == 1 {
		p.breathe()
	}
	ms := untilMs(d)
	if procs > 1 && numCPU > 1 {
		if ev, ok := p.spin(ms); ok || p.netSeen {
			return p.collect(ev)
		}
	}
	if mayHold {
		if ev, ok := p.holdWait(ms); ok || p.netSeen {
			return p.collect(ev)
		}
	}
	// With more than one P, a P left idle blocks in the netpoller itself.
	p.watchNet = p.watchNet && procs == 1
	p.counts.blocked.Add(1)
	ev, _ := p.pollOnce(ms)
	return p.collect(ev)
}

// collect ends a wait that saw ev: when it also saw events in Go's
// netpoller, the leader first breathes, so the scheduler collects them.
func (p *Poller) collect(ev Event) Event {
	if p.netSeen {
		p.netSeen = false
		p.counts.netwakes.Add(1)
		p.netBusyUntil = time.Now().Add(netBusyWindow)
		p.breath = time.Time{}
		p.breathe()
		if p.netStillReady() {
			// What the scheduler's poll left there (the runtime's own
			// wake-up fd, say, which only a blocking poll drains) would end
			// every wait at once: rely on the timed breaths for a while.
			p.netMuted = time.Now()
		}
	}
	return ev
}

// breathEvery bounds how long, with one P, a leader goes without giving the
// scheduler a turn at the network. The scheduler polls the network only when
// it has no goroutine to run (or from its monitor, rarely): a leader whose
// loop always has work — a ping-pong inside the process keeps its fd ready —
// would keep the process's other goroutines from their sockets.
const breathEvery = 100 * time.Microsecond

// numCPU is the number of CPUs the process may run on: a spin only pays when
// another CPU can run the answer meanwhile.
var numCPU = runtime.NumCPU()

// breathe, if the last breath is Config.Breath ago, parks the leader once in
// Go's netpoller, so that the scheduler, left with nothing to run, polls the
// network and readies the goroutines whose I/O has come. The leader parks on
// a pipe of its own into which it has just written a byte: the netpoller
// reports it at that poll, whatever libuv's fds are doing, so the park lasts
// one trip through the scheduler. It reports whether it parked.
func (p *Poller) breathe() bool {
	if p.cfg.Breath < 0 {
		return false
	}
	now := time.Now()
	if now.Sub(p.breath) < p.cfg.Breath {
		return false
	}
	p.breath = now
	if p.nudge == nil {
		if err := p.openNudge(); err != nil {
			return false
		}
	}
	p.counts.breaths.Add(1)
	wrote := false
	p.nudge.Read(func(fd uintptr) bool {
		if !wrote {
			// Written here, after the read is prepared (which forgets
			// readiness seen before it), so that the netpoller's report of
			// the byte is not lost whichever thread polls first.
			wrote = true
			var b [1]byte
			if _, err := unix.Write(p.nudgeW, b[:]); err != nil {
				return true // nothing will be reported: do not park
			}
			return false // park: the byte is reported at the scheduler's next poll
		}
		var buf [64]byte
		unix.Read(int(fd), buf[:])
		return true // done, whether or not the byte was there
	})
	return true
}

// openNudge makes the pipe a breath parks on: its read end registered with
// Go's netpoller, its write end non-blocking.
func (p *Poller) openNudge() error {
	fds, err := nonblockingPipe()
	if err != nil {
		return err
	}
	r := os.NewFile(uintptr(fds[0]), "uv-breath")
	rc, err := r.SyscallConn()
	if err != nil {
		r.Close()
		unix.Close(fds[1])
		return err
	}
	p.nudgeR, p.nudge, p.nudgeRfd, p.nudgeW = r, rc, fds[0], fds[1]
	return nil
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

// netBusyWindow is how long after it last saw events in Go's netpoller a
// leader's waits keep watching it (netwatch_linux.go).
const netBusyWindow = 10 * time.Millisecond

// watchesNet reports whether this wait watches Go's netpoller: only while
// the netpoller was seen with events lately, and not while muted. It looks
// at the netpoller at most once per Config.Breath.
func (p *Poller) watchesNet() bool {
	if p.netfd < 0 {
		return false
	}
	now := time.Now()
	if now.Sub(p.netLook) >= p.cfg.Breath {
		p.netLook = now
		if p.netStillReady() {
			p.netBusyUntil = now.Add(netBusyWindow)
		}
	}
	return now.Before(p.netBusyUntil) && now.Sub(p.netMuted) >= p.cfg.Breath
}
