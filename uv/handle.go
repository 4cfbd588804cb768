package uv

/*
#include "shim.h"
*/
import "C"

import (
	"errors"
	"net"
	"unsafe"

	pointer "github.com/mattn/go-pointer"
)

// Handle is what every libuv handle of this package has in common: its loop,
// its C memory, its lifecycle (open, closing, closed) and its reference on the
// loop. TCP, Pipe, UDP and Timer embed it.
type Handle struct {
	loop *Loop
	ch   *C.uvp_handle
	key  unsafe.Pointer
	typ  HandleType

	// Under the loop lock.
	closing  bool
	closed   bool
	waiting  []*waiter // goroutines that follow, waiting on this handle
	onClosed func()    // the owner's hook, run from the close callback
	// onClosing is the owner's hook, run when the handle starts to close,
	// before uv_close.
	onClosing func()
	// scratch marks a handle that only carries an fd it does not own to
	// uv_write2 (WriteFD); C frees it when closed.
	scratch bool
}

// owner is what a Go object behind a libuv handle gives the callbacks.
type owner interface{ base() *Handle }

func (h *Handle) base() *Handle { return h }

// init allocates the C memory of h for owner o with a read buffer of bufSize
// bytes (0 for none) and makes C refer to o. Called with the loop lock held;
// the caller then runs the uv_*_init function on h.ch.
func (h *Handle) init(l *Loop, o owner, typ HandleType, bufSize int) error {
	h.loop, h.typ = l, typ
	h.key = pointer.Save(o)
	h.ch = C.uvp_handle_new(h.key, C.size_t(bufSize))
	if h.ch == nil {
		pointer.Unref(h.key)
		return errors.New("uv: out of memory for a handle")
	}
	return nil
}

// abandon frees a handle whose uv_*_init failed (it was never a libuv handle).
func (h *Handle) abandon() {
	C.free(unsafe.Pointer(h.ch))
	pointer.Unref(h.key)
	h.ch, h.closed = nil, true
}

func (h *Handle) uv() *C.uv_handle_t      { return (*C.uv_handle_t)(unsafe.Pointer(h.ch)) }
func (h *Handle) stream() *C.uv_stream_t  { return (*C.uv_stream_t)(unsafe.Pointer(h.ch)) }
func (h *Handle) tcpPtr() *C.uv_tcp_t     { return (*C.uv_tcp_t)(unsafe.Pointer(h.ch)) }
func (h *Handle) pipePtr() *C.uv_pipe_t   { return (*C.uv_pipe_t)(unsafe.Pointer(h.ch)) }
func (h *Handle) udpPtr() *C.uv_udp_t     { return (*C.uv_udp_t)(unsafe.Pointer(h.ch)) }
func (h *Handle) timerPtr() *C.uv_timer_t { return (*C.uv_timer_t)(unsafe.Pointer(h.ch)) }

// makeHandle runs mk, which makes a handle, under the lock of loop l (the
// default loop if nil) once l is known to be open.
func makeHandle[H any](l *Loop, mk func(*Loop) (H, error)) (H, error) {
	if l == nil {
		l = Default()
	}
	re, cross := l.acquireOrCross()
	var none H
	if cross {
		return none, ErrWouldBlock // see "Loops and locks" in the package doc
	}
	defer l.release(re)
	if l.closed {
		return none, ErrLoopClosed
	}
	return mk(l)
}

// Loop returns the loop the handle belongs to.
func (h *Handle) Loop() *Loop { return h.loop }

// Type returns the handle's libuv type.
func (h *Handle) Type() HandleType { return h.typ }

// usable reports net.ErrClosed for a handle that is closing or closed. Called
// with the loop lock held.
func (h *Handle) usable() error {
	if h.closing || h.closed || h.loop.closed {
		return net.ErrClosed
	}
	return nil
}

// Close closes the handle and returns once libuv's close callback has run
// and its memory is freed. Inside a handler it starts the close and returns at
// once; so it does inside another loop's handler, where it posts the close to
// the handle's loop when that loop's lock is not free (see "Loops and locks"
// in the package doc). Closing a closed handle does nothing.
func (h *Handle) Close() error {
	_, err := h.close()
	return err
}

// close is Close, and reports whether it did not wait: it ran inside the
// loop, or inside another loop.
func (h *Handle) close() (reentered bool, err error) {
	l := h.loop
	re, cross := l.acquireOrCross()
	if cross {
		_ = l.Post(h.startClose) // a loop already closing closes the handle itself
		return true, nil
	}
	defer l.release(re)
	h.startClose()
	if re || l.elsewhere() {
		return true, nil
	}
	return false, l.awaitOn(h, nil, func() bool { return h.closed }, nil)
}

// startClose starts closing the handle. Called with the loop lock held.
func (h *Handle) startClose() {
	if h.closing || h.closed || h.loop.closed {
		return
	}
	h.closing = true
	if h.onClosing != nil {
		h.onClosing()
	}
	if h.scratch {
		C.uvp_scratch_close(h.ch)
		return
	}
	C.uvp_close(h.ch)
	h.loop.wake(h)
}

// closedCB runs from libuv's close callback, just before C frees the memory.
func (h *Handle) closedCB() {
	h.closed, h.closing = true, false
	if h.onClosed != nil {
		h.onClosed()
	}
	pointer.Unref(h.key)
	h.ch = nil
}

// Ref makes the handle keep its loop alive (the default).
func (h *Handle) Ref() { h.refOp(true) }

// Unref makes the handle stop keeping its loop alive: Loop.Wait returns even
// while it is open.
func (h *Handle) Unref() { h.refOp(false) }

func (h *Handle) refOp(ref bool) {
	l := h.loop
	re := l.acquire()
	defer l.release(re)
	if h.usable() != nil {
		return
	}
	if ref {
		C.uv_ref(h.uv())
	} else {
		C.uv_unref(h.uv())
	}
	l.wake(h)
}

// HasRef reports whether the handle keeps its loop alive.
func (h *Handle) HasRef() bool {
	l := h.loop
	re := l.acquire()
	defer l.release(re)
	return h.usable() == nil && C.uv_has_ref(h.uv()) != 0
}

// Fd returns the handle's file descriptor, owned by the handle, or -1.
func (h *Handle) Fd() int {
	l := h.loop
	re := l.acquire()
	defer l.release(re)
	if h.usable() != nil {
		return -1
	}
	var fd C.uv_os_fd_t
	if C.uv_fileno(h.uv(), &fd) < 0 {
		return -1
	}
	return osFD(fd)
}

// locked runs f under the loop lock when the handle is usable.
func (h *Handle) locked(f func() error) error {
	l := h.loop
	re := l.acquire()
	defer l.release(re)
	if err := h.usable(); err != nil {
		return err
	}
	return f()
}
