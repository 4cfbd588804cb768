package uv

// Calls on a loop made from inside another loop: the rule of the package
// doc's "Loops and locks", and the means by which the methods that must work
// there keep it (they hand their work over with Post).

/*
#include "shim.h"
*/
import "C"

import (
	"net"
	"runtime"

	pointer "github.com/mattn/go-pointer"
)

// crossLoopDeadlock is what a call panics with when it would wait for a
// loop's lock from inside another loop that the first is itself waiting for
// (see lockFrom).
const crossLoopDeadlock = "uv: two loops would wait for each other's lock (a call from inside one loop's handler or Do " +
	"to a handle of another loop whose own handler or Do waits for the first): hand the work over with Loop.Post"

// lockFrom takes l's lock for a thread inside loop from, which breaks the
// rule of the package doc: code inside one loop does not wait for another.
// It waits for the lock unless that would close a cycle of loops each
// waiting for the next (the loop it waits for, or one that loop waits for,
// waits for from): that would never end, and it panics instead. A panic
// inside a handler ends the program (HandlerPanic); inside Do it reaches
// Do's caller.
func (l *Loop) lockFrom(from *Loop) {
	from.waitsFor.Store(l)
	defer from.waitsFor.Store(nil)
	for x, hops := l, 0; x != nil && hops < maxLoopChain; x, hops = x.waitsFor.Load(), hops+1 {
		if x == from {
			panic(crossLoopDeadlock)
		}
	}
	l.lock()
}

// maxLoopChain bounds the walk of lockFrom: longer cycles of loops waiting
// for each other are not seen.
const maxLoopChain = 16

// loopOf is the Loop whose libuv loop c is.
func loopOf(c *C.uv_loop_t) *Loop { return pointer.Restore(c.data).(*Loop) }

// elsewhere reports whether the calling thread runs inside another loop
// than l: in one of its handlers, or a function given to its Do. One
// crossing into C: kept off the paths that do not wait.
func (l *Loop) elsewhere() bool {
	cur := C.uvp_current_loop()
	return cur != nil && cur != l.cl
}

// acquireOrCross is acquire for a method that has a way not to wait for the
// lock: when the lock is taken and the calling thread runs inside another
// loop, it returns cross true without the lock, and the caller posts its
// work or fails with ErrWouldBlock. A lock that is free is taken even from
// inside another loop (that never waits); the caller then checks elsewhere
// before it would wait for the loop's progress.
func (l *Loop) acquireOrCross() (reentered, cross bool) {
	if l.mu.TryLock() {
		return false, false
	}
	switch cur := C.uvp_current_loop(); {
	case cur == nil:
	case cur == l.cl && !l.gone.Load():
		return true, false
	default:
		return false, true
	}
	l.lock()
	return false, false
}

// runOn runs f under l's lock: at once where the calling goroutine may take
// it (Do), else, from inside another loop, by posting it. A loop closed
// meanwhile is ErrLoopClosed.
func runOn(l *Loop, f func()) error {
	if err := l.Do(f); err != ErrWouldBlock {
		return err
	}
	return l.Post(f)
}

// writeElsewhere is a Write on s from inside another loop whose lock s's
// loop could not be taken without waiting: p is copied and queued on s's
// loop (Loop.crossWrites), where it is written as a Write inside a handler
// does (what the socket does not take is queued), and len(p) is returned at
// once. A failure of that write is returned by a later Write. prepare, when
// not nil, runs first on s's loop and gives the handle to send (nil for
// none) and whether to close it once written; drop, when not nil, runs
// instead if the loop closes first, or at once if it is closed.
func (s *Stream) writeElsewhere(p []byte, prepare func() (*Handle, bool, error), drop func()) (int, error) {
	w := crossWrite{b: append([]byte(nil), p...), prepare: prepare, drop: drop}
	if err := s.loop.queueCross(s, w); err != nil {
		if drop != nil {
			drop()
		}
		return 0, net.ErrClosed
	}
	return len(p), nil
}

// crossWrite is a write handed to a stream's loop from inside another loop.
type crossWrite struct {
	b       []byte
	prepare func() (*Handle, bool, error)
	drop    func()
}

// queueCross queues w for s and, for the first write s has waiting, posts
// the function that writes them. Writes queued so go out in order, and
// before any write a Write that takes the loop's lock makes later
// (flushCross): a handler that writes twice to a stream of another loop,
// once queued and once at once, keeps its order.
func (l *Loop) queueCross(s *Stream, w crossWrite) error {
	l.postMu.Lock()
	if l.postClosed {
		l.postMu.Unlock()
		return ErrLoopClosed
	}
	if l.crossWrites == nil {
		l.crossWrites = map[*Stream][]crossWrite{}
	}
	q := l.crossWrites[s]
	l.crossWrites[s] = append(q, w)
	l.crossPending.Add(1)
	if len(q) == 0 { // else the function that writes them is posted already
		l.postLocked(s.flushCross, func() {
			for _, w := range l.takeCross(s) {
				if w.drop != nil {
					w.drop()
				}
			}
		})
	}
	l.postMu.Unlock()
	return nil
}

// takeCross takes the writes waiting for s.
func (l *Loop) takeCross(s *Stream) []crossWrite {
	l.postMu.Lock()
	defer l.postMu.Unlock()
	q := l.crossWrites[s]
	delete(l.crossWrites, s)
	l.crossPending.Add(-int32(len(q)))
	return q
}

// flushCross writes the writes other loops queued for s, in order, with the
// loop lock held: as inside a handler (the calling thread enters the loop
// for that), so that none waits. A failure is kept for the next Write.
func (s *Stream) flushCross() {
	l := s.loop
	if l.flushing == s {
		return // the writes below: those queued meanwhile wait their turn
	}
	// Writes queued while these are written post their own flush.
	if q := l.takeCross(s); len(q) > 0 {
		s.writeCross(q)
	}
}

// writeCross writes q for flushCross.
func (s *Stream) writeCross(q []crossWrite) {
	l := s.loop
	runtime.LockOSThread()
	prev := C.uvp_enter(l.cl)
	l.flushing = s
	defer func() {
		l.flushing = nil
		C.uvp_leave(prev)
		runtime.UnlockOSThread()
	}()
	for _, w := range q {
		var send *Handle
		var release bool
		var err error
		if w.prepare != nil {
			send, release, err = w.prepare()
		}
		if err == nil {
			_, err = s.write(w.b, send, release)
		}
		if err != nil && s.werr == nil {
			s.werr = err
		}
	}
}

// lockedHere is Handle.locked for a method that returns ErrWouldBlock rather
// than wait for the lock from inside another loop.
func (h *Handle) lockedHere(f func() error) error {
	l := h.loop
	re, cross := l.acquireOrCross()
	if cross {
		return ErrWouldBlock
	}
	defer l.release(re)
	if err := h.usable(); err != nil {
		return err
	}
	return f()
}
