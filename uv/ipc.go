package uv

/*
#include "shim.h"
*/
import "C"

import (
	"errors"
	"fmt"
)

// IPCAcceptable is implemented by every type backed by a libuv handle that
// can be sent over an IPC pipe, or accepted from one: the Go form of Bare's
// Symbol.for('bare.ipc.handle'). TCP, Pipe and UDP implement it; a user type
// does by returning the handle it wraps.
type IPCAcceptable interface {
	IPCHandle() *Handle
}

// IPCAcceptHook is implemented by an IPCAcceptable that wants to know when a
// handle was accepted into it (Bare's Symbol.for('bare.ipc.accept')): the
// hook runs right after a successful accept, under the loop lock.
type IPCAcceptHook interface {
	IPCAccepted()
}

// ErrInvalidIPCTarget is returned for an IPCAcceptable, to accept into or to
// send, whose IPCHandle is nil (bare-pipe's INVALID_IPC_TARGET).
var ErrInvalidIPCTarget = errors.New("uv: invalid IPC target: IPCHandle returned nil")

// ipcHandle is a's handle, or ErrInvalidIPCTarget when it has none.
func ipcHandle(a IPCAcceptable) (*Handle, error) {
	if a == nil {
		return nil, ErrInvalidIPCTarget
	}
	h := a.IPCHandle()
	if h == nil {
		return nil, ErrInvalidIPCTarget
	}
	return h, nil
}

// ErrNotPassable is returned (wrapped, with the handle's type) for a handle
// that libuv cannot pass over an IPC pipe on this platform: on Windows it
// passes TCP servers and connections only, so sending a pipe or a UDP
// socket fails with it before anything is written.
var ErrNotPassable = errors.New("uv: this kind of handle cannot be passed over a pipe here")

// ErrNoPendingHandle is returned by AcceptHandle when no handle is pending.
var ErrNoPendingHandle = errors.New("uv: no pending handle")

// AcceptHandle accepts the first pending handle into target, which must be
// an open handle of the pending handle's type (see PendingType) without an fd
// yet; target's IPCAccepted hook runs after. On the pipe's loop this is
// uv_accept; a target on another loop gets the fd as Received.AcceptInto
// does (from inside a loop other than the target's, the fd is handed to the
// target's loop and the call returns before it is opened there). A target of
// the wrong type is an error and the handle stays pending; a target on
// another loop that cannot take the fd is an error and the handle is closed.
// Inside OnHandle, this is how a handle is taken. Inside a handler of another
// loop than the pipe's, it returns ErrWouldBlock when the pipe's loop is
// busy: it does not wait for that loop's lock.
func (p *Pipe) AcceptHandle(target IPCAcceptable) error {
	h, err := ipcHandle(target)
	if err != nil {
		return err
	}
	if h.loop != p.loop {
		var r *Received
		err := p.lockedHere(func() error {
			if err := p.checkPending(h); err != nil {
				return err
			}
			var err error
			r, err = p.acceptPending()
			return err
		})
		if err != nil {
			return err
		}
		if err := r.AcceptInto(target); err != nil {
			r.Close() // taken from libuv's queue: it cannot stay pending
			return err
		}
		return nil
	}
	err = p.lockedHere(func() error {
		if err := h.usable(); err != nil {
			return err
		}
		if err := p.checkPending(h); err != nil {
			return err
		}
		return check("uv_accept", C.uv_accept(p.stream(), h.stream()))
	})
	if err != nil {
		return err
	}
	accepted(target)
	return nil
}

// checkPending checks that a handle is pending and that target h can take
// it. Called with the lock held.
func (p *Pipe) checkPending(h *Handle) error {
	if !p.ipc {
		return errNotIPC
	}
	if C.uv_pipe_pending_count(p.pipePtr()) == 0 {
		return ErrNoPendingHandle
	}
	if pt := HandleType(C.uv_pipe_pending_type(p.pipePtr())); pt != h.typ {
		return fmt.Errorf("uv: the pending handle is of type %v, the target of type %v", pt, h.typ)
	}
	return nil
}

// errNotIPC is returned for handle operations on a pipe made without ipc.
var errNotIPC = errors.New("uv: the pipe is not an IPC pipe")
