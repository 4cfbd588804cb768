package uv

/*
#include "shim.h"
*/
import "C"

import (
	"context"
	"fmt"
	"unsafe"
)

// Pipe is a libuv pipe handle: a unix domain socket or an OS pipe end. An IPC
// pipe (ipc true, over a bidirectional unix socket) can also carry handles.
type Pipe struct {
	Stream
	ipc      bool
	onHandle func(HandleType) // bare's 'handle' event
}

// NewPipe makes a pipe handle on loop l (the default loop if nil); ipc makes
// it able to send and receive handles. bufSize is the read buffer size (0 for
// DefaultReadBufferSize).
func NewPipe(l *Loop, ipc bool, bufSize int) (*Pipe, error) {
	return makeHandle(l, func(l *Loop) (*Pipe, error) { return newPipeLocked(l, ipc, bufSize) })
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
		return nil, check("uv_pipe_init", r)
	}
	if ipc {
		p.beforeData = p.takePending
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

// Bind binds the pipe to a socket path. On Linux a name that begins with
// '@' (or NUL) is an abstract socket, and an empty one autobinds. A path
// longer than a sockaddr_un holds is ENAMETOOLONG.
func (p *Pipe) Bind(path string) error {
	if err := checkName("bind", path); err != nil {
		return err
	}
	if abstractName(path) {
		if p.Fd() >= 0 {
			return check("bind", C.UV_EINVAL) // already bound, as libuv
		}
		return p.openSocket(abstractSocket(path, false))
	}
	cs := C.CString(path)
	defer C.free(unsafe.Pointer(cs))
	return p.locked(func() error { return check("bind", C.uv_pipe_bind(p.pipePtr(), cs)) })
}

// openSocket makes the pipe use the socket fd that bind or connect made,
// closing it on failure.
func (p *Pipe) openSocket(fd int, err error) error {
	if err != nil {
		return err
	}
	if err := p.Open(fd); err != nil {
		closeFD(fd)
		return err
	}
	return nil
}

// Listen makes a bound pipe a server. An IPC pipe cannot listen (EINVAL).
func (p *Pipe) Listen(backlog int) error {
	return p.locked(func() error { return p.listen(backlog) })
}

// OnConnection sets an event-style handler for incoming connections.
func (p *Pipe) OnConnection(fn func(err error)) {
	p.locked(func() error { p.setOnConn(fn); return nil })
}

// Accept waits for an incoming connection and returns it as a new pipe on the
// same loop, with the given IPC mode and read buffer size. Inside a handler,
// of this loop or another, it does not wait: with no connection waiting it
// returns ErrWouldBlock.
func (p *Pipe) Accept(ipc bool, bufSize int) (*Pipe, error) {
	l := p.loop
	re, cross := l.acquireOrCross()
	if cross {
		return nil, ErrWouldBlock
	}
	defer l.release(re)
	if err := p.usable(); err != nil {
		return nil, err
	}
	c, err := newPipeLocked(l, ipc, bufSize)
	if err != nil {
		return nil, err
	}
	if err := p.acceptInto(&c.Handle, re || l.elsewhere()); err != nil {
		c.startClose()
		return nil, err
	}
	return c, nil
}

// Connect connects the pipe to the socket at path (on Linux, an abstract
// name when it begins with '@'). Inside a handler, of this loop or another,
// it returns ErrWouldBlock: it waits for the loop.
func (p *Pipe) Connect(ctx context.Context, path string) error {
	if err := checkName("connect", path); err != nil {
		return err
	}
	if abstractName(path) {
		if err := ctx.Err(); err != nil {
			return err
		}
		return p.openSocket(abstractSocket(path, true))
	}
	cs := C.CString(path)
	defer C.free(unsafe.Pointer(cs))
	l := p.loop
	defer l.wakeWhenDone(ctx, &p.Handle)()
	re, cross := l.acquireOrCross()
	if cross {
		return ErrWouldBlock
	}
	defer l.release(re)
	if re || l.elsewhere() {
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

// WriteHandle writes b with h travelling alongside its first bytes, as
// uv_write2 does: the fd goes with the first bytes the socket accepts. Only
// an IPC pipe can send handles (EINVAL otherwise); b must not be empty (libuv
// would drop the handle silently); a closed h is EBADF. The sender keeps its
// own h. A handle on another loop is sent through a duplicate of its fd. On
// Windows libuv passes TCP handles only (a server, which it puts in the
// listening state first, or a connection): any other kind fails with
// ErrNotPassable.
func (p *Pipe) WriteHandle(b []byte, h IPCAcceptable) (int, error) {
	hd, err := ipcHandle(h)
	if err != nil {
		return 0, err
	}
	return p.writeHandle(b, hd, false)
}

// WriteHandleAndClose is WriteHandle, and closes h once the write is done
// with it (a handle made only to be sent).
func (p *Pipe) WriteHandleAndClose(b []byte, h IPCAcceptable) (int, error) {
	hd, err := ipcHandle(h)
	if err != nil {
		return 0, err
	}
	return p.writeHandle(b, hd, true)
}

func (p *Pipe) writeHandle(b []byte, h *Handle, release bool) (int, error) {
	if err := sendable(h.typ); err != nil {
		if release {
			h.Close()
		}
		return 0, err
	}
	if p.loop.elsewhere() {
		return p.writeHandleElsewhere(b, h, release)
	}
	if h.loop != p.loop {
		fd, err := h.dupFD()
		if err != nil {
			if release {
				h.Close()
			}
			return 0, err
		}
		if release {
			h.Close()
		}
		tmp, err := OpenFDAs(p.loop, fd, h.typ)
		if err != nil {
			closeFD(fd)
			return 0, err
		}
		h, release = tmp.IPCHandle(), true
	}
	return p.write(b, h, release)
}

// writeHandleElsewhere is writeHandle from inside another loop than the
// pipe's: the write is posted to the pipe's loop (see Stream.Write); a
// handle of a third loop goes as a duplicate of its fd, made now.
func (p *Pipe) writeHandleElsewhere(b []byte, h *Handle, release bool) (int, error) {
	if len(b) == 0 {
		return 0, errEmptyHandle
	}
	if h.loop == p.loop {
		return p.writeElsewhere(b, func() (*Handle, bool, error) { return h, release, nil }, nil)
	}
	fd, err := h.dupFD()
	if release {
		h.Close()
	}
	if err != nil {
		return 0, err
	}
	return p.sendDupElsewhere(b, fd, h.typ)
}

// sendDupElsewhere posts to the pipe's loop a write of b with fd, a
// duplicate the write owns, opened there as a handle of type t
// (UnknownHandle: as its kind). The fd is closed if it never gets there.
func (p *Pipe) sendDupElsewhere(b []byte, fd int, t HandleType) (int, error) {
	return p.writeElsewhere(b, func() (*Handle, bool, error) {
		if t == UnknownHandle {
			t = GuessHandle(fd)
		}
		h, err := OpenFDAs(p.loop, fd, t)
		if err != nil {
			closeFD(fd)
			return nil, false, err
		}
		return h.IPCHandle(), true, nil
	}, func() { closeFD(fd) })
}

// WriteFD writes b with fd travelling alongside as a handle of type t
// (TCPHandle, UDPHandle or NamedPipe), as WriteHandle does, for an fd that is
// no uv handle's: a Go socket's, say. fd is borrowed: it must stay open until
// WriteFD returns, which neither closes it nor changes its flags. (Inside a
// handler, where the write may stay queued, a duplicate of fd is sent; so it
// is from inside another loop's handler, where the write is posted as
// Stream.Write describes.) On Windows fd is a SOCKET (a Go socket's, from
// syscall.RawConn.Control), t must be TCPHandle (ErrNotPassable otherwise),
// and a duplicate of the socket is always sent.
func (p *Pipe) WriteFD(b []byte, fd int, t HandleType) (int, error) {
	if err := sendable(t); err != nil {
		return 0, err
	}
	l := p.loop
	re, cross := l.acquireOrCross()
	if cross || (!re && l.elsewhere()) {
		if !cross {
			l.release(re)
		}
		if len(b) == 0 {
			return 0, errEmptyHandle
		}
		dup, err := dupFD(fd)
		if err != nil {
			return 0, err
		}
		return p.sendDupElsewhere(b, dup, t)
	}
	if re {
		l.release(re)
		dup, err := dupFD(fd)
		if err != nil {
			return 0, err
		}
		h, err := OpenFDAs(l, dup, t)
		if err != nil {
			closeFD(dup)
			return 0, err
		}
		return p.write(b, h.IPCHandle(), true)
	}
	var serr C.int
	s := C.uvp_scratch(l.cl, C.int(t), C.int(fd), &serr)
	l.release(re)
	if s == nil {
		if serr == C.UV_EINVAL {
			return 0, fmt.Errorf("uv: cannot send an fd as a %v handle", t)
		}
		return 0, check("uv_write2", serr)
	}
	return p.write(b, &Handle{loop: l, ch: s, typ: t, scratch: true}, true)
}

// ReadHandles is Read for an IPC pipe: it also returns the handles that
// arrived with the returned bytes (before them), in arrival order, each taken
// from libuv's pending queue into a handle of its own. The program owns them.
// It does not read past a place where handles arrived, so each call returns
// the handles of at most one arrival plus the data that followed them.
func (p *Pipe) ReadHandles(b []byte) (int, []*Received, error) {
	return p.read(b, true)
}

// OnHandle sets bare-pipe's 'handle' event: fn runs under the loop lock, in
// the read callback, once per pending handle and before that read's data,
// with the handle's type; it accepts the handle with AcceptHandle, or leaves
// it pending (then it is announced again with the next read, and closed with
// the pipe). While it is set, handles are not taken for ReadHandles.
func (p *Pipe) OnHandle(fn func(t HandleType)) {
	p.locked(func() error { p.onHandle = fn; return nil })
}

// takePending runs in the read callback of an IPC pipe, before the data:
// announce the pending handles (OnHandle), or take them for ReadHandles.
func (p *Pipe) takePending() {
	pp := p.pipePtr()
	if C.uv_pipe_pending_count(pp) == 0 {
		return // no handle came with this read (the common case)
	}
	if p.onHandle != nil {
		for n := C.uv_pipe_pending_count(pp); n > 0; {
			p.onHandle(HandleType(C.uv_pipe_pending_type(pp)))
			left := C.uv_pipe_pending_count(pp)
			if left >= n || p.closing {
				return // not accepted: announced again with the next read
			}
			n = left
		}
		return
	}
	if p.onRead != nil {
		return // event style without OnHandle: handles stay pending
	}
	var hs []*Received
	for C.uv_pipe_pending_count(pp) > 0 {
		r, err := p.acceptPending()
		if err != nil {
			break
		}
		hs = append(hs, r)
	}
	if len(hs) == 0 {
		return
	}
	p.morePending = true
	if k := len(p.marks); k > 0 && p.marks[k-1].off == p.buf.len() {
		p.marks[k-1].hs = append(p.marks[k-1].hs, hs...)
		return
	}
	p.marks = append(p.marks, mark{off: p.buf.len(), hs: hs})
}

// acceptPending takes the first pending handle's fd from libuv's queue.
// Called with the lock held.
func (p *Pipe) acceptPending() (*Received, error) {
	var fd, typ C.int
	if r := C.uvp_take_pending(p.ch, &fd, &typ); r < 0 {
		return nil, check("uv_accept", r)
	}
	return &Received{Type: HandleType(typ), fd: int(fd), loop: p.loop}, nil
}

// PendingCount returns the number of received handles not yet accepted.
func (p *Pipe) PendingCount() int {
	n := 0
	p.locked(func() error { n = int(C.uv_pipe_pending_count(p.pipePtr())); return nil })
	return n
}

// PendingType returns the type of the first received handle not yet
// accepted, or UnknownHandle when there is none.
func (p *Pipe) PendingType() HandleType {
	t := UnknownHandle
	p.locked(func() error { t = HandleType(C.uv_pipe_pending_type(p.pipePtr())); return nil })
	return t
}
