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
	return l.poller.runnable()
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
