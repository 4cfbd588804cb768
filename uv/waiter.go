//go:build cgo

package uv

import (
	"sync"
	"time"
)

// waiter is a goroutine that follows: it waits in Loop.await for a condition
// while another goroutine leads. It sleeps on its own channel until one of
// these signals it:
//   - a callback of the handle it waits on (its read, write, close,
//     connection, connect or shutdown callback), or a method that changed
//     that handle's state or deadlines (Loop.wake with the handle);
//   - when it waits on no particular handle (Loop.Wait, Loop.Run, a loop's
//     Close), the end of every pass and every Loop.wake;
//   - the loop needing a new leader: a goroutine that stops leading, or that
//     stops waiting while nobody leads, signals the longest-waiting follower;
//   - the loop closing, which signals every follower.
//
// So a pass wakes only the goroutines whose condition it may have changed,
// whatever the number of goroutines blocked on the loop's other handles.
// A signal is a send on a channel with room for one: it is never lost, and
// signals that come before the follower looks again count once.
type waiter struct {
	wake       chan struct{}
	h          *Handle // the handle whose state the condition reads; nil: any
	prev, next *waiter // in the loop's queue of followers, oldest first
	timer      *time.Timer
}

var waiters = sync.Pool{New: func() any { return &waiter{wake: make(chan struct{}, 1)} }}

// waiterQueue is the loop's followers in the order they began to wait, and
// those that wait on no particular handle.
type waiterQueue struct {
	head, tail *waiter
	n          int
	broad      []*waiter
}

// follow sleeps until the follower is signalled or the deadline passes. h
// is the handle whose callbacks can change what it waits for (nil: any
// pass can). Called, and returns, with l.mu held.
func (l *Loop) follow(h *Handle, deadline *time.Time) {
	// Read the deadline under the lock: another goroutine may move it.
	var until time.Time
	if deadline != nil {
		until = *deadline
	}
	w := waiters.Get().(*waiter)
	w.h = h
	l.enqueue(w)
	l.mu.Unlock()
	if until.IsZero() {
		<-w.wake
	} else {
		if w.timer == nil {
			w.timer = time.NewTimer(time.Until(until))
		} else {
			w.timer.Reset(time.Until(until))
		}
		select {
		case <-w.wake:
		case <-w.timer.C:
		}
		w.timer.Stop()
	}
	l.lock()
	l.dequeue(w)
	select { // a signal that came after the wake-up it slept through
	case <-w.wake:
	default:
	}
	w.h = nil
	waiters.Put(w)
}

func (l *Loop) enqueue(w *waiter) {
	q := &l.waiting
	w.prev, w.next = q.tail, nil
	if q.tail != nil {
		q.tail.next = w
	} else {
		q.head = w
	}
	q.tail = w
	q.n++
	if w.h == nil {
		q.broad = append(q.broad, w)
	} else {
		w.h.waiting = append(w.h.waiting, w)
	}
}

func (l *Loop) dequeue(w *waiter) {
	q := &l.waiting
	if w.prev != nil {
		w.prev.next = w.next
	} else {
		q.head = w.next
	}
	if w.next != nil {
		w.next.prev = w.prev
	} else {
		q.tail = w.prev
	}
	w.prev, w.next = nil, nil
	q.n--
	if w.h == nil {
		q.broad = remove(q.broad, w)
	} else {
		w.h.waiting = remove(w.h.waiting, w)
	}
}

// remove deletes w from ws, which holds it once; order does not matter.
func remove(ws []*waiter, w *waiter) []*waiter {
	for i, x := range ws {
		if x == w {
			last := len(ws) - 1
			ws[i], ws[last] = ws[last], nil
			return ws[:last]
		}
	}
	return ws
}

// signal wakes w, once however often it is signalled before it looks.
// Called with l.mu held.
func (l *Loop) signal(w *waiter) {
	select {
	case w.wake <- struct{}{}:
		l.ranWork = true // the leader yields before it blocks: w may run here
		l.signals++
	default:
	}
}

// notify signals the followers that wait on h. Called with l.mu held.
func (l *Loop) notify(h *Handle) {
	for _, w := range h.waiting {
		l.signal(w)
	}
}

// notifyBroad signals the followers that wait on no particular handle.
func (l *Loop) notifyBroad() {
	for _, w := range l.waiting.broad {
		l.signal(w)
	}
}

// notifyAll signals every follower: the loop is closing.
func (l *Loop) notifyAll() {
	for w := l.waiting.head; w != nil; w = w.next {
		l.signal(w)
	}
}

// handOff signals the longest-waiting follower when nobody leads, so that
// the loop keeps a leader: it leads unless its condition already holds, and
// then hands off in turn when it leaves.
func (l *Loop) handOff() {
	if !l.leader && l.waiting.head != nil {
		l.signal(l.waiting.head)
	}
}
