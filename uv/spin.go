//go:build cgo

package uv

import (
	"os"
	"runtime"
	"time"
)

// DefaultSpin is how long a leader about to block polls first, for loops
// whose LoopConfig.Spin is zero, unless the environment variable
// UVPIPE_SPIN gives another duration ("0" turns spinning off).
const DefaultSpin = 20 * time.Microsecond

// defaultSpin is what a zero LoopConfig.Spin means: UVPIPE_SPIN when it is
// a duration, else DefaultSpin. Read once.
var defaultSpin = func() time.Duration {
	if d, err := time.ParseDuration(os.Getenv("UVPIPE_SPIN")); err == nil {
		return d
	}
	return DefaultSpin
}()

// spinFor resolves LoopConfig.Spin: zero takes defaultSpin, and anything
// not positive means never.
func spinFor(configured time.Duration) time.Duration {
	if configured == 0 {
		configured = defaultSpin
	}
	return max(configured, 0)
}

// procs returns runtime.GOMAXPROCS(0), which takes the scheduler's lock
// (measurable at every wait of a ping-pong): it is read again every
// procsEvery waits, so a program that changes it, or a runtime that adapts
// it to the CPUs it is given, is followed after that many. Only the leader
// calls it.
func (p *poller) procs() int {
	if p.procsAge == 0 {
		p.nprocs = runtime.GOMAXPROCS(0)
	}
	p.procsAge = (p.procsAge + 1) % procsEvery
	return p.nprocs
}

// procsEvery is how many waits a poller trusts the GOMAXPROCS it read.
const procsEvery = 1024

// spinWait polls the backend fd for up to p.spin (and never past ms
// milliseconds, libuv's timeout) before the blocking wait, yielding the P
// between looks so that goroutines made runnable meanwhile run; procs is
// the GOMAXPROCS the wait read. It reports what it saw ready; ok is false
// when the budget ran out first.
//
// Why: on two CPUs, an answer from another thread or process comes in a few
// microseconds, while a thread blocked in epoll_wait is woken by the kernel
// (an interrupt to another vCPU in a VM) tens of microseconds later here.
// Measured free on 2 vCPUs: a Go parent/child json ping-pong over the Node
// channel went from 9.4 to 4.1 µs per round trip (raw C processes polling a
// socket pair take 4.6), and one net-ipc connection with server and client
// in one process from 69k to 165–185k requests/s. Go's scheduler and
// adaptive mutexes spin likewise before they sleep. The price is CPU: an
// idle leader polls at most p.spin per event before it sleeps.
func (p *poller) spinWait(ms, procs int) (ev readyEvent, ok bool) {
	budget := p.spin
	if ms >= 0 {
		budget = min(budget, time.Duration(ms)*time.Millisecond)
	}
	// With a single P (GOMAXPROCS 1, as under taskset to one CPU) the peer
	// that would answer cannot run in this process while the leader
	// polls, and another process on the same CPU only once the leader's
	// time slice is over.
	if budget <= 0 || procs == 1 {
		return noEvent, false
	}
	start := time.Now()
	for i := 0; ; i++ {
		if ev, ok := p.pollOnce(0); ok {
			p.spinHits++
			return ev, true
		}
		if i%spinYieldEvery == 0 {
			runtime.Gosched()
		}
		if time.Since(start) >= budget {
			return noEvent, false
		}
	}
}

// spinYieldEvery is how many looks the spin takes between yields. It yields
// at the first look, so that goroutines the pass made runnable run at once,
// and then every so often for those made runnable meanwhile. Yielding at
// every look made the scheduler's lock the hot spot of a request/response
// benchmark with handlers on goroutines (one net-ipc connection, server and
// client in one process: 75–158k requests/s; every 16th look: 184–205k;
// never: 52–135k, p99 47 µs).
const spinYieldEvery = 16
