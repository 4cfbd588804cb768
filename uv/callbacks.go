package uv

// The one place where C calls Go: libuv's callbacks, through shim.c. Each
// recovers a panic (see Loop.recoverPanic) so that it never unwinds through
// libuv's frames; each that may run a handler says so (Loop.ranHandler): the
// leader then yields before it blocks. Each callback of a handle signals the
// goroutines that follow waiting on that handle (Loop.notify), and only
// those.

/*
#include "shim.h"
*/
import "C"

import (
	"unsafe"

	pointer "github.com/mattn/go-pointer"
)

func ownerOf(key unsafe.Pointer) owner { return pointer.Restore(key).(owner) }

//export goHandleClosed
func goHandleClosed(key unsafe.Pointer) {
	if key == nil {
		return
	}
	o, ok := pointer.Restore(key).(owner)
	if !ok {
		return // the loop's own async handle
	}
	h := o.base()
	defer h.loop.recoverPanic()
	h.loop.ranHandler()
	h.closedCB()
	h.loop.notify(h)
}

//export goAsync
func goAsync(key unsafe.Pointer) {
	l := pointer.Restore(key).(*Loop)
	defer l.recoverPanic()
	l.ranHandler()
	l.runPosted()
}

//export goAsyncHandle
func goAsyncHandle(key unsafe.Pointer) {
	a := ownerOf(key).(*Async)
	defer a.loop.recoverPanic()
	a.loop.ranHandler()
	a.fired()
	a.loop.notify(&a.Handle)
}

//export goTimer
func goTimer(key unsafe.Pointer) {
	t := ownerOf(key).(*Timer)
	defer t.loop.recoverPanic()
	t.loop.ranHandler()
	t.fired()
	t.loop.notify(&t.Handle)
}

//export goRead
func goRead(key unsafe.Pointer, nread C.long, base *C.char, lent C.int) {
	s := ownerOf(key).(streamOwner).streamBase()
	defer s.loop.recoverPanic()
	if s.onRead != nil {
		s.loop.ranHandler()
	}
	s.readCB(int(nread), base, lent != 0)
	s.loop.notify(&s.Handle)
}

//export goWriteDone
func goWriteDone(key unsafe.Pointer, status C.int) {
	s := ownerOf(key).(streamOwner).streamBase()
	defer s.loop.recoverPanic()
	s.loop.ranHandler()
	s.writeCB(status)
	s.loop.notify(&s.Handle)
}

//export goShutdownDone
func goShutdownDone(key unsafe.Pointer, status C.int) {
	s := ownerOf(key).(streamOwner).streamBase()
	defer s.loop.recoverPanic()
	s.loop.ranHandler()
	s.shutdownCB(status)
	s.loop.notify(&s.Handle)
}

//export goConnection
func goConnection(key unsafe.Pointer, status C.int) {
	s := ownerOf(key).(streamOwner).streamBase()
	defer s.loop.recoverPanic()
	s.loop.ranHandler()
	s.connectionCB(status)
	s.loop.notify(&s.Handle)
}

//export goConnected
func goConnected(key unsafe.Pointer, status C.int) {
	s := ownerOf(key).(streamOwner).streamBase()
	defer s.loop.recoverPanic()
	s.loop.ranHandler()
	s.connectCB(status)
	s.loop.notify(&s.Handle)
}

//export goUDPRecv
func goUDPRecv(key unsafe.Pointer, nread C.long, base *C.char, addr *C.struct_sockaddr, flags C.uint) {
	u := ownerOf(key).(*UDP)
	defer u.loop.recoverPanic()
	u.loop.ranHandler()
	u.recvCB(int(nread), base, addr, uint(flags))
	u.loop.notify(&u.Handle)
}

//export goUDPSent
func goUDPSent(key unsafe.Pointer, status C.int) {
	u := ownerOf(key).(*UDP)
	defer u.loop.recoverPanic()
	u.loop.ranHandler()
	u.sendCB(status)
	u.loop.notify(&u.Handle)
}
