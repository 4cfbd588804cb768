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

// ErrNoPendingHandle is returned by AcceptHandle when no handle is pending.
var ErrNoPendingHandle = errors.New("uv: no pending handle")

// AcceptHandle accepts the first pending handle into target, which must be
// an open handle of the pending handle's type (see PendingType) on the same
// loop. A target of the wrong type or on another loop is an error and the
// handle stays pending.
func (p *Pipe) AcceptHandle(target IPCAcceptable) error {
	h := target.IPCHandle()
	if h.loop != p.loop {
		return errors.New("uv: cannot accept a handle into a target on another loop")
	}
	err := p.locked(func() error {
		if err := h.usable(); err != nil {
			return err
		}
		if C.uv_pipe_pending_count(p.pipePtr()) == 0 {
			return ErrNoPendingHandle
		}
		if pt := HandleType(C.uv_pipe_pending_type(p.pipePtr())); pt != h.typ {
			return fmt.Errorf("uv: the pending handle is of type %v, the target of type %v", pt, h.typ)
		}
		return check("uv_accept", C.uv_accept(p.stream(), h.stream()))
	})
	if err != nil {
		return err
	}
	if hook, ok := target.(IPCAcceptHook); ok {
		p.loop.Do(hook.IPCAccepted)
	}
	return nil
}
