//go:build cgo

package uv

import (
	"time"

	"github.com/uvpipe/uvpipe/internal/wait"
)

// Tuned returns c with the leader waiting as w says, for tests.
func Tuned(c LoopConfig, w wait.Config) LoopConfig {
	c.wait = w
	return c
}

// SpinOf reports how long l's leader polls before it blocks.
func SpinOf(l *Loop) time.Duration { return l.poller.Config().Spin }

// HoldOf reports how long l's leader may wait holding its P, with one P.
func HoldOf(l *Loop) time.Duration { return l.poller.Config().Hold }

// WaitStats reports how l's waits ended.
func WaitStats(l *Loop) wait.Stats {
	re := l.acquire()
	defer l.release(re)
	return l.poller.Stats()
}

// SpinHits reports how many of l's waits ended while the leader polled.
func SpinHits(l *Loop) uint64 { return WaitStats(l).SpinHits }

// BlockingWaits reports how many of l's waits blocked in epoll_wait (after
// the spin, if any).
func BlockingWaits(l *Loop) uint64 { return WaitStats(l).Blocked }

// Holds reports how many of l's waits were held (with one P), and how many
// of those an event ended.
func Holds(l *Loop) (held, hits uint64) {
	s := WaitStats(l)
	return s.Holds, s.HoldHits
}

// Runnable reports how many goroutines a leader would see waiting for a P
// before it blocks.
func Runnable(*Loop) uint64 {
	runnable, _ := wait.SchedCounts()
	return runnable
}

// OutsideGo reports how many goroutines a leader would see in a system
// call or cgo call before it blocks.
func OutsideGo(*Loop) uint64 {
	_, outside := wait.SchedCounts()
	return outside
}

// RanHandler reports whether l's leader would yield for what its passes ran
// since it last waited.
func RanHandler(l *Loop) bool {
	re := l.acquire()
	defer l.release(re)
	return l.ranWork
}
