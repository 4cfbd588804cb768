package uv

/*
#include "shim.h"
*/
import "C"

import (
	"os"
	"time"

	"github.com/uvpipe/uvpipe/internal/wait"
)

// await makes the loop progress until done() holds, leading or following as
// the package doc describes. deadline, when not nil, is read at every step, so
// a deadline moved by another goroutine (which calls wake) takes effect.
// Called, and returns, with l.mu held.
func (l *Loop) await(done func() bool, deadline *time.Time) error {
	return l.awaitOn(nil, nil, done, deadline)
}

// awaitOn is await for a condition that only h's callbacks, and methods that
// change h (which call wake with h), can make true: while it follows, only
// those wake it (see waiter). quiet, when not nil, is the stream handle
// whose small reads may be left in its buffers while this goroutine leads
// (uvp_handle.stash_ok); the caller takes them after (Stream.takeStash).
func (l *Loop) awaitOn(h *Handle, quiet *C.uvp_handle, done func() bool, deadline *time.Time) error {
	if !done() && l.elsewhere() {
		// Inside another loop (its handler, or a function given to its Do),
		// which must never wait for this one: whatever method got here took
		// this loop's free lock, and now gives up rather than wait.
		return ErrWouldBlock
	}
	defer l.handOver()
	for !done() {
		if l.closed || l.closing {
			return ErrLoopClosed
		}
		if expired(deadline) {
			return os.ErrDeadlineExceeded
		}
		if l.leader {
			l.follow(h, deadline)
			continue
		}
		if quiet != nil {
			// Only while it leads: a follower's read must reach Go in a
			// callback, which is what signals it.
			quiet.stash_ok = 1
		}
		l.lead(done, deadline, false)
	}
	return nil
}

func expired(deadline *time.Time) bool {
	return deadline != nil && !deadline.IsZero() && !time.Now().Before(*deadline)
}

// lead runs passes of the loop, polling the backend fd without the lock in
// between, until done() holds, the deadline passes or the loop closes; the
// background leader also stops as soon as another goroutine waits.
func (l *Loop) lead(done func() bool, deadline *time.Time, background bool) {
	l.leader = true
	if !background && l.poller.Config().Netpoller {
		l.bg.Pause()
	}
	l.ranWork = false // what earlier leaders' passes made runnable has run
	ready := wait.None
	for first := true; ; first = false {
		// A pass is needed first only when libuv has work that polling the
		// backend fd would not show: watchers to register, callbacks pending,
		// handles closing, timers due. After a wait, the one fd it saw ready
		// is handed to its watcher without a pass when nothing else is due.
		timeout := l.step(first, ready)
		if l.closed || l.closing || done() || expired(deadline) || (background && l.waiting.n > 0) {
			break
		}
		var until time.Time
		if deadline != nil {
			until = *deadline
		}
		yield := l.ranWork
		l.ranWork = false
		ready = l.waitBackend(timeout, until, yield)
	}
	l.leader = false
	l.handOff()
}

// handOver makes sure the loop keeps a leader when a goroutine stops
// waiting: a follower is signalled to lead, or, when nobody leads or waits,
// the background leader takes over after its grace period.
func (l *Loop) handOver() {
	if l.leader || l.closed {
		return
	}
	if l.waiting.n > 0 {
		l.handOff()
		return
	}
	l.bg.Resume()
}

// pass runs one non-blocking pass of the loop. A panic raised by a callback
// during the pass is raised again here, with the leadership given up; the
// caller's deferred release drops the lock.
func (l *Loop) pass() {
	if l.closed {
		return
	}
	C.uvp_run_nowait(l.cl)
	l.afterPass()
}

// step is pass, skipped on a leader's first step when libuv has nothing to
// do, and returns libuv's poll timeout, all in one crossing into C. After a
// wait that saw one fd ready (ready), it calls that fd's watcher directly
// when a pass would do nothing else (uvp_dispatch in shim.c).
func (l *Loop) step(first bool, ready wait.Event) int {
	if l.closed {
		return 0
	}
	r := int(C.uvp_step(l.cl, cbool(first && !l.passFirst), C.int(ready.FD), C.uint(ready.Events)))
	l.passFirst = false
	ran := r & 3
	if ran&2 != 0 {
		l.dispatched++
	}
	if ran != 0 {
		l.afterPass()
	}
	return r>>2 - 1
}

// afterPass signals the followers that wait on no particular handle; those
// that wait on a handle were signalled by its callbacks.
func (l *Loop) afterPass() { l.notifyBroad() }

// ranHandler notes that a callback from C ran a handler or otherwise may have
// made a goroutine runnable. Called under the loop lock.
func (l *Loop) ranHandler() { l.ranWork = true }

// recoverPanic is deferred by every callback from C. A panic in a handler
// must not unwind through libuv's frames, and belongs to no goroutine that
// happens to lead the loop: it is fatal, with the handler's stack (see
// handlerPanic).
func (l *Loop) recoverPanic() {
	if r := recover(); r != nil {
		crash(r)
	}
}
