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
const DefaultSpin = 50 * time.Microsecond

// defaultSpin is what a zero LoopConfig.Spin means: UVPIPE_SPIN when it is
// a duration, else DefaultSpin. Read once.
var defaultSpin = durationFromEnv("UVPIPE_SPIN", DefaultSpin)

// spinFor resolves LoopConfig.Spin: zero takes defaultSpin, and anything
// not positive means never.
func spinFor(configured time.Duration) time.Duration { return resolveBudget(configured, defaultSpin) }

// durationFromEnv is the duration the environment variable name gives, or
// def when it gives none.
func durationFromEnv(name string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(os.Getenv(name)); err == nil {
		return d
	}
	return def
}

// resolveBudget resolves a configured budget: zero takes def, and anything
// not positive means none.
func resolveBudget(configured, def time.Duration) time.Duration {
	if configured == 0 {
		configured = def
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
// The budget must outlast that wake-up, or one side's sleep makes the
// other's spin run out in turn. Measured free on 2 vCPUs where a wake-up
// costs 30 µs or more: a Go parent/child json ping-pong over the Node
// channel took 20–23 µs per round trip with 20 µs of spin (a wait in five
// slept), 11.6 with 50 (one in 40), 8.3–9.7 with 100; Node's own takes
// 93–96 µs. On a day when the same VM woke threads in a few µs, 20 µs had
// taken the same ping-pong from 9.4 to 4.1 µs, and one net-ipc connection
// with server and client in one process from 69k to 165–185k requests/s.
// Go's scheduler and adaptive mutexes spin likewise before they sleep. The
// price is CPU: an idle leader polls at most p.spin per event before it
// sleeps.
func (p *poller) spinWait(ms, procs int) (ev readyEvent, ok bool) {
	budget, _ := capToTimeout(p.spin, ms)
	// With a single P (GOMAXPROCS 1, as under taskset to one CPU) the peer
	// that would answer cannot run in this process while the leader
	// polls, and another process on the same CPU only once the leader's
	// time slice is over.
	if budget <= 0 || procs == 1 {
		return noEvent, false
	}
	start := time.Now()
	for i := 0; ; i++ {
		if ev, ok := p.peek(); ok {
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

// capToTimeout is how long a wait may spin or hold its P: d, never past ms
// milliseconds (libuv's timeout; -1 for none). full reports that d itself,
// not the timeout, is the bound.
func capToTimeout(d time.Duration, ms int) (budget time.Duration, full bool) {
	if t := time.Duration(ms) * time.Millisecond; ms >= 0 && t < d {
		return t, false
	}
	return d, true
}

// spinYieldEvery is how many looks the spin takes between yields. It yields
// at the first look, so that goroutines the pass made runnable run at once,
// and then every so often for those made runnable meanwhile. Yielding at
// every look made the scheduler's lock the hot spot of a request/response
// benchmark with handlers on goroutines (one net-ipc connection, server and
// client in one process: 75–158k requests/s; every 16th look: 184–205k;
// never: 52–135k, p99 47 µs).
const spinYieldEvery = 16
