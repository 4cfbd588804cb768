package uv

/*
#include "shim.h"
*/
import "C"

import (
	"os"
	"time"
)

// await makes the loop progress until done() holds, leading or following as
// the package doc describes. deadline, when not nil, is read at every step, so
// a deadline moved by another goroutine (which calls wake) takes effect.
// Called, and returns, with l.mu held.
func (l *Loop) await(done func() bool, deadline *time.Time) error {
	defer l.handOver()
	for !done() {
		if l.closed || l.closing {
			return ErrLoopClosed
		}
		if expired(deadline) {
			return os.ErrDeadlineExceeded
		}
		if l.leader {
			l.follow(deadline)
			continue
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
	if !background && l.poller.netpoll {
		l.bg.hold()
	}
	l.ranWork = false // what earlier leaders' passes made runnable has run
	ready := noEvent
	for first := true; ; first = false {
		// A pass is needed first only when libuv has work that polling the
		// backend fd would not show: watchers to register, callbacks pending,
		// handles closing, timers due. After a wait, the one fd it saw ready
		// is handed to its watcher without a pass when nothing else is due.
		timeout := l.step(first, ready)
		if l.closed || l.closing || done() || expired(deadline) || (background && l.followers > 0) {
			break
		}
		var until time.Time
		if deadline != nil {
			until = *deadline
		}
		yield := l.ranWork
		l.ranWork = false
		l.polling.Store(true)
		l.mu.Unlock()
		ready = l.poller.wait(timeout, until, yield)
		l.mu.Lock()
		l.polling.Store(false)
	}
	l.leader = false
	l.wakeFollowers()
}

// handOver makes sure the loop keeps a leader: when a goroutine stops waiting
// and nobody else leads or waits, the background leader takes over after its
// grace period.
func (l *Loop) handOver() {
	if !l.leader && l.followers == 0 && !l.closed {
		l.bg.resume()
	}
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
func (l *Loop) step(first bool, ready readyEvent) int {
	if l.closed {
		return 0
	}
	r := int(C.uvp_step(l.cl, cbool(first && !l.passFirst), C.int(ready.fd), C.uint(ready.events)))
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

// afterPass wakes the followers and raises a panic a callback left.
func (l *Loop) afterPass() {
	l.wakeFollowers()
	if l.hasPanic {
		p := l.panicked
		l.hasPanic, l.panicked = false, nil
		l.leader = false
		l.polling.Store(false)
		l.bg.resume()
		panic(p)
	}
}

// follow sleeps until the current leader ends a pass or gives up leading.
func (l *Loop) follow(deadline *time.Time) {
	if l.passDone == nil {
		l.passDone = make(chan struct{})
	}
	ch := l.passDone
	// Read the deadline under the lock: another goroutine may move it.
	var until time.Time
	if deadline != nil {
		until = *deadline
	}
	l.followers++
	l.mu.Unlock()
	if until.IsZero() {
		<-ch
	} else {
		t := time.NewTimer(time.Until(until))
		select {
		case <-ch:
		case <-t.C:
		}
		t.Stop()
	}
	l.mu.Lock()
	l.followers--
}

// ranHandler notes that a callback from C ran a handler or otherwise may have
// made a goroutine runnable. Called under the loop lock.
func (l *Loop) ranHandler() { l.ranWork = true }

func (l *Loop) wakeFollowers() {
	if l.passDone != nil {
		l.ranWork = true
		close(l.passDone)
		l.passDone = nil
	}
}

// recoverPanic is deferred by every callback from C: it keeps a panic from
// unwinding through libuv, stops the pass, and leaves the panic for pass to
// raise again.
func (l *Loop) recoverPanic() {
	if r := recover(); r != nil {
		if !l.hasPanic {
			l.hasPanic, l.panicked = true, r
		}
		C.uv_stop(l.cl)
	}
}
