package wait

import (
	"runtime"
	"time"
)

// Spin polls look for up to budget, yielding the P at the first look and
// every yieldEvery looks after it (0: never), and reports whether look came
// true. It spins only with more than one P: with one, whatever would make
// look true cannot run in this process while it polls. A spin costs at most
// budget of CPU: callers use it where an answer usually comes sooner than a
// sleeping thread is woken.
func Spin(budget time.Duration, yieldEvery int, look func() bool) bool {
	if budget <= 0 || runtime.GOMAXPROCS(0) == 1 {
		return false
	}
	return spin(budget, yieldEvery, look)
}

// spin is Spin without the check of GOMAXPROCS.
func spin(budget time.Duration, yieldEvery int, look func() bool) bool {
	start := time.Now()
	for i := 0; ; i++ {
		if look() {
			return true
		}
		if yieldEvery > 0 && i%yieldEvery == 0 {
			runtime.Gosched()
		}
		if time.Since(start) >= budget {
			return false
		}
	}
}

// leaderYieldEvery is how many looks a leader's spin takes between yields:
// at the first, goroutines the pass made runnable run at once; after it,
// every so often, those made runnable meanwhile. Yielding at every look
// makes the scheduler's lock the hot spot when handlers run on goroutines.
const leaderYieldEvery = 16

// spin polls the backend fd for up to Config.Spin, never past ms
// milliseconds. The caller has checked that there is more than one P.
func (p *Poller) spin(ms int) (Event, bool) {
	budget, _ := capToTimeout(p.cfg.Spin, ms)
	if budget <= 0 {
		return None, false
	}
	ev, ok := None, false
	if spin(budget, leaderYieldEvery, func() bool { ev, ok = p.peek(); return ok }) {
		p.counts.spinhits.Add(1)
		return ev, true
	}
	return None, false
}
