package channel

import "sync/atomic"

// signal wakes one goroutine that waits for a condition another goroutine
// changes, without a lost wake-up: the waiter arms it, looks at the
// condition again, and only then sleeps; the changer fires it after the
// change. Both flags are sequentially consistent atomics, so either the
// waiter sees the change or the changer sees the waiter.
type signal struct {
	armed atomic.Bool
	ch    chan struct{} // one token at most
}

func newSignal() signal { return signal{ch: make(chan struct{}, 1)} }

func (s *signal) arm()    { s.armed.Store(true) }
func (s *signal) disarm() { s.armed.Store(false) }

// fire wakes the waiter, if one is armed. Cheap when none is.
func (s *signal) fire() {
	if s.armed.Load() && s.armed.CompareAndSwap(true, false) {
		s.wake()
	}
}

// wake leaves a token whether or not anyone is armed.
func (s *signal) wake() {
	select {
	case s.ch <- struct{}{}:
	default:
	}
}
