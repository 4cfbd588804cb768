package wait

import (
	"sync/atomic"
	"time"
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

// counters are the poller's Stats, written by the leader while it waits
// and read by anyone.
type counters struct {
	spinhits, holds, holdhits, blocked, breaths, netwakes atomic.Uint64
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

// untilMs is the time until d in whole milliseconds, rounded up, for a
// syscall's timeout; -1 (none) for a zero d.
func untilMs(d time.Time) int {
	if d.IsZero() {
		return -1
	}
	return max(int(time.Until(d)/time.Millisecond)+1, 0)
}
