package uv

/*
#include "shim.h"
*/
import "C"

import "time"

// Timer is a libuv timer: fn runs under the loop lock when it fires.
type Timer struct {
	Handle
	fn func()
}

// NewTimer makes a stopped timer on loop l (the default loop if nil).
func NewTimer(l *Loop, fn func()) (*Timer, error) {
	return makeHandle(l, func(l *Loop) (*Timer, error) { return newTimerLocked(l, fn) })
}

func newTimerLocked(l *Loop, fn func()) (*Timer, error) {
	t := &Timer{fn: fn}
	if err := t.init(l, t, TimerHandle, 0); err != nil {
		return nil, err
	}
	if r := C.uv_timer_init(l.cl, t.timerPtr()); r < 0 {
		t.abandon()
		return nil, check("uv_timer_init", r)
	}
	return t, nil
}

// Start fires the timer after timeout, then every repeat (0 for once).
func (t *Timer) Start(timeout, repeat time.Duration) error {
	return t.locked(func() error {
		r := C.uvp_timer_start(t.ch, C.uint64_t(timeout/time.Millisecond), C.uint64_t(repeat/time.Millisecond))
		t.loop.wake(&t.Handle)
		return check("uv_timer_start", r)
	})
}

// Stop stops the timer.
func (t *Timer) Stop() error {
	return t.locked(func() error { return check("uv_timer_stop", C.uv_timer_stop(t.timerPtr())) })
}

func (t *Timer) fired() {
	if t.fn != nil {
		t.fn()
	}
}
