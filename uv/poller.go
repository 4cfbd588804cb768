//go:build cgo

package uv

import (
	"os"
	"runtime"
	"runtime/metrics"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// poller waits for a loop's backend fd (libuv's epoll fd) to become readable.
// By default the leader waits in a blocking epoll_wait (poll(2) off Linux),
// as a raw blocking read would: measured here, a 64-byte ping-pong between
// two processes costs 1.35–1.4× plain read/write syscalls pinned to one CPU
// this way (1.44–1.55× before a lone ready fd was dispatched without a pass),
// and 2.1× when the leader parks as a goroutine in Go's netpoller
// instead, which
// LoopConfig.Netpoller selects (so that a waiting leader holds no OS thread).
// It holds a duplicate of the fd, so closing it never closes libuv's.
type poller struct {
	f        *os.File
	rc       syscall.RawConn
	fd       int
	netpoll  bool
	deadline time.Time
	spin     time.Duration // how long to poll before a blocking wait, with several Ps
	hold     time.Duration // how long to wait holding the P, with one
	// Touched by the leader only (tests read them under the loop lock).
	spinHits   uint64            // waits the spin ended
	holdHits   uint64            // waits a held wait ended
	holds      uint64            // held waits made
	blocked    uint64            // waits that blocked after the spin or hold
	holdMisses int               // held waits in a row that ran out
	holdSkip   int               // waits left before the next one may hold
	noHold     bool              // the kernel cannot hold a wait (no epoll_pwait2)
	nprocs     int               // GOMAXPROCS as procs last read it
	procsAge   int               // waits since procs read it, modulo procsEvery
	sched      [2]metrics.Sample // runnable's and outside's samples, reused
}

func newPoller(backendFD int, c LoopConfig) (*poller, error) {
	fd, err := unix.FcntlInt(uintptr(backendFD), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		return nil, os.NewSyscallError("fcntl", err)
	}
	// O_NONBLOCK makes os.NewFile register the fd with the netpoller;
	// epoll_wait, which libuv calls on the same file, ignores the flag.
	if err := unix.SetNonblock(fd, true); err != nil {
		unix.Close(fd)
		return nil, os.NewSyscallError("fcntl", err)
	}
	f := os.NewFile(uintptr(fd), "uv-backend")
	rc, err := f.SyscallConn()
	if err != nil {
		f.Close()
		return nil, err
	}
	p := &poller{f: f, rc: rc, fd: fd, netpoll: c.Netpoller, spin: spinFor(c.Spin), hold: holdFor(c.Hold)}
	p.sched[0].Name = runnableMetric
	p.sched[1].Name = outsideMetric
	return p, nil
}

// runnableMetric counts the goroutines waiting for a P: in the run queues
// of the Ps and the global one. outsideMetric counts those in a system
// call or a cgo call (Go 1.26), each of which wants a P when it returns.
const (
	runnableMetric = "/sched/goroutines/runnable:goroutines"
	outsideMetric  = "/sched/goroutines/not-in-go:goroutines"
)

// schedCounts returns how many goroutines wait for a P, and how many are
// in a system call or cgo call, in one read of the runtime's metrics. With
// one P, read before blocking, they tell whether the P would hold someone
// up, for less than one trip through the scheduler (one sample cost about
// 45 ns; both come from the same aggregate). Only the leader calls it.
func (p *poller) schedCounts() (runnable, outside uint64) {
	metrics.Read(p.sched[:])
	return sampleOr1(p.sched[0]), sampleOr1(p.sched[1])
}

// sampleOr1 is a goroutine count, or 1 from a runtime without the metric:
// assume someone waits.
func sampleOr1(s metrics.Sample) uint64 {
	if s.Value.Kind() != metrics.KindUint64 {
		return 1
	}
	return s.Value.Uint64()
}

// readyEvent is one fd of libuv's that a wait saw ready, with its epoll
// events; fd is -1 when the wait cannot say (nothing ready, several fds, a
// netpoller wait).
type readyEvent struct {
	fd     int
	events uint32
}

var noEvent = readyEvent{fd: -1}

// wait returns when the backend fd is readable, after timeoutMs milliseconds
// (libuv's next timer; -1 for none), at until (zero for none), or when the
// poller is closed. Only the leader calls it, without the loop lock; yield
// says that its last pass ran handlers or woke followers. It returns the
// one fd that was ready, when it knows it.
func (p *poller) wait(timeoutMs int, until time.Time, yield bool) readyEvent {
	d := until
	if timeoutMs == 0 {
		return noEvent
	}
	if timeoutMs > 0 {
		t := time.Now().Add(time.Duration(timeoutMs) * time.Millisecond)
		if d.IsZero() || t.Before(d) {
			d = t
		}
	}
	if !p.netpoll {
		// A blocking syscall keeps this goroutine's P until sysmon takes it
		// (20 µs to 10 ms here, about 150 µs typically), so goroutines the
		// pass just made runnable (a follower woken, a request answered by a
		// read callback) would wait that long for a P or for another thread
		// to wake: let them run first, on this thread. Only then: with
		// nothing made runnable and more than one P, the yield itself wakes
		// another thread that takes this goroutine over (two futex calls and
		// a migration per wait: a free Go parent/child ipc ping-pong took
		// 14.3 µs with it, 10.5 without), while with one P it only costs
		// the two trips through the scheduler (about 0.12 µs each here).
		// Measured, free on 2 CPUs: a net-ipc request over one connection
		// with server and client in one process went from 16–25k to
		// 65–115k requests/s, p99 from 140–160 µs to 13–27 µs.
		//
		// Twice: Gosched puts this goroutine on the global run queue, and
		// one schedule in 61 looks there first, which would run this
		// leader again before the goroutine it made runnable; it would
		// then block holding the P while that goroutine waits for sysmon
		// (1.7% of those requests pinned, p99 152 µs). A second yield makes
		// that one in 61² (p99 10.8 µs).
		//
		// With one P, goroutines made runnable outside the pass (by the
		// caller before it led: a worker sent a message) would wait for
		// sysmon too; the count of goroutines waiting for a P tells whether
		// any does, for less than a yield costs (a pinned Go parent/child
		// ping-pong: 0.2–0.3 µs per round trip less than yielding always).
		//
		// With one P, the same look tells whether the wait may hold the P
		// (holdWait): only when nobody waits for it and no goroutine is in
		// a system call or cgo call that it may return from wanting it.
		procs := p.procs()
		mayHold := false
		if procs == 1 {
			runnable, outside := p.schedCounts()
			yield = yield || runnable > 0
			mayHold = !yield && outside == 0
		}
		if yield {
			runtime.Gosched()
			runtime.Gosched()
		}
		ms := untilMs(d)
		if ev, ok := p.spinWait(ms, procs); ok {
			return ev
		}
		if mayHold {
			if ev, ok := p.holdWait(ms); ok {
				return ev
			}
		}
		p.blocked++
		ev, _ := p.pollOnce(ms)
		return ev
	}
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
	return noEvent
}

func (p *poller) close() { p.f.Close() }

// untilMs is the time until d in whole milliseconds, rounded up, for a
// syscall's timeout; -1 (none) for a zero d.
func untilMs(d time.Time) int {
	if d.IsZero() {
		return -1
	}
	return max(int(time.Until(d)/time.Millisecond)+1, 0)
}
