//go:build !windows

package wait

// holdState is the back-off of a leader's held waits.
type holdState struct {
	misses int  // held waits in a row that ran out
	skip   int  // waits left before the next one may hold
	noHold bool // the kernel cannot hold a wait (no epoll_pwait2)
}

// holdSkipShift bounds the back-off: after that many holds in a row ran
// out, a leader holds once in 1<<holdSkipShift waits.
const holdSkipShift = 10

// holdWait is the spin's counterpart with one P, where polling would keep
// the CPU from the peer that is to answer; Wait calls it only when no other
// goroutine waits for the P or is in a system call or cgo call. The leader
// waits in the kernel for up to Config.Hold (never past ms milliseconds)
// without giving its P up: a blocking system call would hand the P to the
// scheduler, whose monitor thread, with one P, takes it back and wakes
// threads while the wait lasts. It reports what it saw ready; ok is false
// when it did not hold or nothing came.
//
// While the leader holds the only P, no other goroutine of the process
// runs: one whose timer fires or whose network I/O becomes ready meanwhile
// waits for the hold to end, at most Config.Hold; the runtime's preemption
// ends a hold as any signal does. A hold that runs out with nothing come
// makes the next waits skip holding, twice as many after each such hold in
// a row, so a leader whose answers do not come from outside soon stops
// holding.
func (p *Poller) holdWait(ms int) (Event, bool) {
	h := &p.hold
	if p.cfg.Hold <= 0 || h.noHold || ms == 0 {
		return None, false
	}
	if h.skip > 0 {
		h.skip--
		return None, false
	}
	d, full := capToTimeout(p.cfg.Hold, ms)
	p.counts.holds.Add(1)
	ev, ok, timedOut := p.heldWait(d)
	if ok {
		p.counts.holdhits.Add(1)
		h.misses = 0
		return ev, true
	}
	if full && timedOut {
		h.misses = min(h.misses+1, holdSkipShift)
		h.skip = 1<<h.misses - 1
	}
	return None, false
}
