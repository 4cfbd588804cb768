//go:build cgo

package uv

import "time"

// DefaultHold is how long a leader with one P waits holding it, for loops
// whose LoopConfig.Hold is zero, unless the environment variable
// UVPIPE_HOLD gives another duration ("0" turns holding off). It is longer
// than a kernel tick at 250 Hz or more (a timeout within the tick costs the
// kernel a reprogrammed timer: measured here, 3.5 µs per wait at 1 ms,
// none at 4 ms), and half the 10 ms that Go lets a goroutine run before it
// preempts it.
const DefaultHold = 5 * time.Millisecond

// defaultHold is what a zero LoopConfig.Hold means: UVPIPE_HOLD when it is
// a duration, else DefaultHold. Read once.
var defaultHold = durationFromEnv("UVPIPE_HOLD", DefaultHold)

// holdFor resolves LoopConfig.Hold: zero takes defaultHold, and anything
// not positive means never.
func holdFor(configured time.Duration) time.Duration { return resolveBudget(configured, defaultHold) }

// holdWait is the spin's counterpart with one P (GOMAXPROCS 1, as under
// taskset to one CPU), where polling would keep the CPU from the peer that
// is to answer; wait calls it only when no other goroutine waits for the P
// or is in a system call or cgo call. The leader waits in the kernel for up to p.hold (never past
// ms milliseconds, libuv's timeout) without giving its P up, before it
// waits as a blocking system call does. It reports what it saw ready; ok
// is false when it did not hold or nothing came.
//
// Why: a blocking system call hands the P to the scheduler (entersyscall),
// and with one P the runtime's monitor thread takes it back from a call
// that spans one of its ticks and wakes another thread to poll the
// network, so that it keeps ticking every 20 µs while a ping-pong runs.
// Measured pinned to one CPU here: two Go processes exchanging 64 bytes
// with blocking read/write took 6.4 µs per round trip, with the same calls
// made raw (as C makes them) 3.9; a Go parent/child json ping-pong over
// the Node channel took 9.7 µs with a blocking epoll_wait and 7.5 with the
// wait held.
//
// What it costs, and what bounds it: while the leader holds the only P, no
// other goroutine of the process runs. Hence wait's condition: none waits
// for the P and none is in a system call or cgo call (a leader of another
// loop, say) that it may return from wanting the P. A goroutine whose timer
// fires during the hold, or whose network I/O becomes ready, waits for
// the hold to end, at most p.hold. A hold that runs out with nothing come
// (sparse traffic, or an answer that needs this process to run) makes the
// next waits skip holding, twice as many after each such hold in a row (up
// to 1<<holdSkipShift - 1), so a leader whose answers do not come from outside soon
// stops holding.
func (p *poller) holdWait(ms int) (ev readyEvent, ok bool) {
	if p.hold <= 0 || p.noHold || ms == 0 {
		return noEvent, false
	}
	if p.holdSkip > 0 {
		p.holdSkip--
		return noEvent, false
	}
	d, full := capToTimeout(p.hold, ms)
	p.holds++
	ev, ok, timedOut := p.heldWait(d)
	if ok {
		p.holdHits++
		p.holdMisses = 0
		return ev, true
	}
	if full && timedOut {
		p.holdMisses = min(p.holdMisses+1, holdSkipShift)
		p.holdSkip = 1<<p.holdMisses - 1
	}
	return noEvent, false
}

// holdSkipShift bounds the back-off: after that many holds in a row ran
// out, a leader holds once in 1<<holdSkipShift waits.
const holdSkipShift = 10
