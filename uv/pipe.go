package uv

/*
#include "shim.h"
*/
import "C"

import (
	"context"
	"unsafe"
)

// Pipe is a libuv pipe handle: a unix domain socket or an OS pipe end. An IPC
// pipe (ipc true, over a bidirectional unix socket) can also carry handles.
type Pipe struct {
	Stream
	ipc bool
}

// NewPipe makes a pipe handle on loop l (the default loop if nil); ipc makes
// it able to send and receive handles. bufSize is the read buffer size (0 for
// DefaultReadBufferSize).
func NewPipe(l *Loop, ipc bool, bufSize int) (*Pipe, error) {
	if l == nil {
		l = Default()
	}
	re := l.acquire()
	defer l.release(re)
	return newPipeLocked(l, ipc, bufSize)
}

func newPipeLocked(l *Loop, ipc bool, bufSize int) (*Pipe, error) {
	if l.closed {
		return nil, ErrLoopClosed
	}
	p := &Pipe{ipc: ipc}
	if err := p.initStream(l, p, NamedPipe, bufSize); err != nil {
		return nil, err
	}
	if r := C.uv_pipe_init(l.cl, p.pipePtr(), cbool(ipc)); r < 0 {
		p.abandon()
		return nil, wrapSyscall("uv_pipe_init", r)
	}
	return p, nil
}

// IPC reports whether the pipe can carry handles.
func (p *Pipe) IPC() bool { return p.ipc }

// IPCHandle makes Pipe IPCAcceptable.
func (p *Pipe) IPCHandle() *Handle { return &p.Handle }

// Open makes the pipe use fd (a unix socket, or either end of an OS pipe);
// the pipe owns it now and sets it non-blocking.
func (p *Pipe) Open(fd int) error {
	return p.locked(func() error { return check("uv_pipe_open", C.uv_pipe_open(p.pipePtr(), C.uv_file(fd))) })
}

// Bind binds the pipe to a socket path.
func (p *Pipe) Bind(path string) error {
	cs := C.CString(path)
	defer C.free(unsafe.Pointer(cs))
	return p.locked(func() error { return check("bind", C.uv_pipe_bind(p.pipePtr(), cs)) })
}

// Listen makes a bound pipe a server. An IPC pipe cannot listen (EINVAL).
func (p *Pipe) Listen(backlog int) error {
	return p.locked(func() error { return p.listen(backlog) })
}

// OnConnection sets an event-style handler for incoming connections.
func (p *Pipe) OnConnection(fn func(err error)) {
	p.locked(func() error { p.onConn = fn; return nil })
}

// Accept waits for an incoming connection and returns it as a new pipe on the
// same loop, with the given IPC mode and read buffer size.
func (p *Pipe) Accept(ipc bool, bufSize int) (*Pipe, error) {
	l := p.loop
	re := l.acquire()
	defer l.release(re)
	if err := p.usable(); err != nil {
		return nil, err
	}
	c, err := newPipeLocked(l, ipc, bufSize)
	if err != nil {
		return nil, err
	}
	if err := p.acceptInto(&c.Handle, re); err != nil {
		c.startClose()
		return nil, err
	}
	return c, nil
}

// Connect connects the pipe to the socket at path.
func (p *Pipe) Connect(ctx context.Context, path string) error {
	cs := C.CString(path)
	defer C.free(unsafe.Pointer(cs))
	l := p.loop
	stop := context.AfterFunc(ctx, func() {
		l.mu.Lock()
		l.wake()
		l.mu.Unlock()
	})
	defer stop()
	re := l.acquire()
	defer l.release(re)
	if re {
		return ErrWouldBlock
	}
	if err := p.usable(); err != nil {
		return err
	}
	C.uvp_pipe_connect(p.ch, cs)
	err := p.connectWait(ctx.Done())
	if ctx.Err() != nil && p.connecting {
		return ctx.Err()
	}
	return err
}

// WriteHandle writes b with h travelling alongside its first bytes. Only an
// IPC pipe can send handles (EINVAL otherwise); b must not be empty.
func (p *Pipe) WriteHandle(b []byte, h IPCAcceptable) (int, error) {
	return p.write(b, h.IPCHandle())
}

// PendingCount returns the number of received handles not yet accepted.
func (p *Pipe) PendingCount() int {
	n := 0
	p.locked(func() error { n = int(C.uv_pipe_pending_count(p.pipePtr())); return nil })
	return n
}

// PendingType returns the type of the first received handle not yet
// accepted, or Unknown when there is none.
func (p *Pipe) PendingType() HandleType {
	t := Unknown
	p.locked(func() error { t = HandleType(C.uv_pipe_pending_type(p.pipePtr())); return nil })
	return t
}
