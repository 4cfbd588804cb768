package uv

/*
#include "shim.h"
*/
import "C"

import (
	"net"
	"sync"
	"unsafe"
)

// Async is a libuv async handle (uv_async_t): Send, from any goroutine and
// without the loop lock, makes fn run once under the loop lock on whichever
// goroutine leads the loop. Sends that come before fn runs are coalesced
// into one call, as libuv does. Like every handle it keeps its loop alive
// until it is closed or unreferenced (Unref).
type Async struct {
	Handle
	fn func()

	// sendMu keeps the handle open while a Send is in uv_async_send:
	// closing takes it to mark the handle dead before uv_close (libuv for
	// Windows asserts that a handle sent to is not closing; unix's ignores
	// such a send), so no Send reaches uv_async_send once the handle
	// started to close, nor after its memory is freed.
	sendMu  sync.RWMutex
	dead    bool   // under sendMu: the handle is closing or closed
	onClose func() // under the loop lock
}

// NewAsync makes an async handle on loop l (the default loop if nil) whose
// Send makes fn run on the loop. fn must not block.
func NewAsync(l *Loop, fn func()) (*Async, error) {
	return makeHandle(l, func(l *Loop) (*Async, error) { return newAsyncLocked(l, fn) })
}

func newAsyncLocked(l *Loop, fn func()) (*Async, error) {
	a := &Async{fn: fn}
	if err := a.init(l, a, AsyncHandle, 0); err != nil {
		return nil, err
	}
	if r := C.uvp_async_user_init(l.cl, a.ch); r < 0 {
		a.abandon()
		return nil, check("uv_async_init", r)
	}
	a.onClosing = a.markDead
	a.onClosed = a.closedCB
	if l.asyncs == nil {
		l.asyncs = make(map[*Async]struct{})
	}
	l.asyncs[a] = struct{}{}
	l.wake(nil) // a leader polling without the lock counts the new handle
	return a, nil
}

// Send makes fn run on the loop soon, from any goroutine, without taking
// the loop lock (uv_async_send). It returns net.ErrClosed once the handle
// started to close (Close, or its loop closing).
func (a *Async) Send() error {
	a.sendMu.RLock()
	defer a.sendMu.RUnlock()
	if a.dead {
		return net.ErrClosed
	}
	C.uv_async_send((*C.uv_async_t)(unsafe.Pointer(a.ch)))
	return nil
}

// OnClose sets fn to run under the loop lock once the handle has closed,
// however that happened: Close, or its loop closing.
func (a *Async) OnClose(fn func()) {
	a.locked(func() error { a.onClose = fn; return nil })
}

// fired runs from libuv's async callback.
func (a *Async) fired() {
	if a.fn != nil {
		a.fn()
	}
}

// markDead makes Send fail from now on, and waits for a Send inside
// uv_async_send to leave it. It runs with the loop lock held, before
// uv_close: from startClose, or from the loop's shutdown.
func (a *Async) markDead() {
	a.sendMu.Lock()
	a.dead = true
	a.sendMu.Unlock()
}

// closedCB runs from the close callback, before the C memory is freed.
func (a *Async) closedCB() {
	a.markDead() // closed by libuv itself (uv_walk of the loop's close)
	delete(a.loop.asyncs, a)
	if a.onClose != nil {
		a.onClose()
	}
}
