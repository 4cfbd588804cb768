package uv

import "time"

// SpinOf reports how long l's leader polls before it blocks.
func SpinOf(l *Loop) time.Duration { return l.poller.spin }

// SpinHits reports how many of l's waits ended while the leader polled.
func SpinHits(l *Loop) (n uint64) {
	re := l.acquire()
	defer l.release(re)
	return l.poller.spinHits
}

// Runnable reports how many goroutines l's leader would see waiting for a
// P before it blocks.
func Runnable(l *Loop) uint64 {
	re := l.acquire()
	defer l.release(re)
	runnable, _ := l.poller.schedCounts()
	return runnable
}

// RanHandler reports whether l's leader would yield for what its passes ran
// since it last waited.
func RanHandler(l *Loop) bool {
	re := l.acquire()
	defer l.release(re)
	return l.ranWork
}

// BlockingWaits reports how many of l's waits blocked in epoll_wait (after
// the spin, if any).
func BlockingWaits(l *Loop) (n uint64) {
	re := l.acquire()
	defer l.release(re)
	return l.poller.blocked
}

// HoldOf reports how long l's leader may wait holding its P, with one P.
func HoldOf(l *Loop) time.Duration { return l.poller.hold }

// Holds reports how many of l's waits were held (with one P), and how many
// of those an event ended.
func Holds(l *Loop) (held, hits uint64) {
	re := l.acquire()
	defer l.release(re)
	return l.poller.holds, l.poller.holdHits
}

// OutsideGo reports how many goroutines l's leader would see in a system
// call or cgo call before it blocks.
func OutsideGo(l *Loop) uint64 {
	re := l.acquire()
	defer l.release(re)
	_, outside := l.poller.schedCounts()
	return outside
}
