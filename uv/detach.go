package uv

/*
#include "shim.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// Detached is a TCP, UDP or pipe handle taken off its loop by Detach: its
// fd, with what the handle had read and not yet returned, ready to live on
// another loop (Attach). Until then it owns the fd; Close releases it. A
// Detached is not safe for concurrent use.
type Detached struct {
	typ     HandleType
	fd      int // -1 once attached or closed
	ipc     bool
	bufSize int
	data    []byte     // a stream's bytes read and not returned
	rerr    error      // how a stream's read side had ended, or nil
	dgrams  []datagram // a UDP handle's datagrams received and not returned
}

// errNotMovable is returned by Detach for a handle in a state that cannot
// move: listening, connecting, or holding received handles.
var errNotMovable = errors.New("uv: the handle cannot be detached now (listening, connecting, or holding received handles)")

// Type returns the kind of handle that was detached.
func (d *Detached) Type() HandleType { return d.typ }

// Detach takes the socket off its loop: reading stops, queued writes are
// waited for (inside a handler, a handle with writes queued returns
// ErrWouldBlock), and the handle closes without closing its fd, which the
// Detached now owns with the bytes read and not yet returned. Reads and
// writes on t from now on return net.ErrClosed. A listener or a connecting
// handle cannot be detached.
func (t *TCP) Detach() (*Detached, error) { return t.Stream.detach() }

// Detach takes the pipe off its loop, as TCP.Detach. An IPC pipe holding
// received handles not yet taken cannot be detached.
func (p *Pipe) Detach() (*Detached, error) {
	d, err := p.Stream.detach()
	if d != nil {
		d.ipc = p.ipc
	}
	return d, err
}

func (s *Stream) detach() (*Detached, error) {
	l := s.loop
	re := l.acquire()
	defer l.release(re)
	if err := s.usable(); err != nil {
		return nil, err
	}
	if s.listening || s.connecting || len(s.marks) > 0 || len(s.orphans) > 0 {
		return nil, errNotMovable
	}
	if s.typ == NamedPipe && C.uv_pipe_pending_count(s.pipePtr()) > 0 {
		return nil, errNotMovable
	}
	if err := s.settle(re, func() bool { return s.queued == s.completed && s.shutdown != 1 }); err != nil {
		return nil, err
	}
	fd := C.uvp_detach(s.ch)
	if fd < 0 {
		return nil, check("detach", fd)
	}
	s.reading, s.onRead = false, nil
	d := &Detached{typ: s.typ, fd: int(fd), bufSize: s.bufSize, data: s.buf.takeAll(), rerr: s.rerr}
	s.closeDetached(re)
	return d, nil
}

// settle waits, except inside a handler, until idle() holds: the writes
// or sends a handle had queued are done. Called with the lock held.
func (h *Handle) settle(re bool, idle func() bool) error {
	if idle() {
		return nil
	}
	if re {
		return ErrWouldBlock
	}
	if err := h.loop.await(func() bool { return idle() || h.closing || h.closed }, nil); err != nil {
		return err
	}
	return h.usable()
}

// closeDetached closes a handle whose fd was taken, waiting for its close
// callback except inside a handler. Called with the lock held.
func (h *Handle) closeDetached(re bool) {
	h.startClose()
	if !re {
		h.loop.await(func() bool { return h.closed }, nil)
	}
}

// Detach takes the UDP socket off its loop, as TCP.Detach: the datagrams
// received and not yet returned go with it.
func (u *UDP) Detach() (*Detached, error) {
	l := u.loop
	re := l.acquire()
	defer l.release(re)
	if err := u.usable(); err != nil {
		return nil, err
	}
	if err := u.settle(re, func() bool { return u.sentDone == u.sent }); err != nil {
		return nil, err
	}
	fd := C.uvp_detach(u.ch)
	if fd < 0 {
		return nil, check("detach", fd)
	}
	u.receiving, u.onRecv = false, nil
	d := &Detached{typ: UDPHandle, fd: int(fd), dgrams: u.queue, rerr: u.rerr}
	u.queue, u.rerr = nil, nil
	u.closeDetached(re)
	return d, nil
}

// Attach makes the detached handle live on loop l (the default loop if
// nil): a new *TCP, *UDP or *Pipe (IPC as the one detached) that owns the
// fd and returns first what the old one had read and not returned. Attach
// once; afterwards d is empty.
func (d *Detached) Attach(l *Loop) (IPCAcceptable, error) {
	if d.fd < 0 {
		return nil, errTaken
	}
	var h IPCAcceptable
	var err error
	switch d.typ {
	case TCPHandle:
		h, err = NewTCP(l)
	case UDPHandle:
		h, err = NewUDP(l)
	case NamedPipe:
		h, err = NewPipe(l, d.ipc, d.bufSize)
	default:
		return nil, fmt.Errorf("uv: cannot attach a %v handle", d.typ)
	}
	if err != nil {
		return nil, err
	}
	hb := h.IPCHandle()
	if err := hb.openFD(d.fd); err != nil {
		hb.Close()
		return nil, err
	}
	d.fd = -1
	hb.locked(func() error {
		switch v := h.(type) {
		case *TCP:
			v.restore(d)
		case *Pipe:
			v.restore(d)
		case *UDP:
			v.queue, v.rerr = d.dgrams, d.rerr
		}
		return nil
	})
	d.data, d.dgrams, d.rerr = nil, nil, nil
	return h, nil
}

// restore gives a fresh stream what a detached one had read.
func (s *Stream) restore(d *Detached) {
	s.buf.append(d.data)
	s.rerr = d.rerr
}

// Close closes the fd of a handle never attached, dropping what it had read.
func (d *Detached) Close() error {
	if d.fd < 0 {
		return nil
	}
	fd := d.fd
	d.fd, d.data, d.dgrams = -1, nil, nil
	return os.NewSyscallError("close", unix.Close(fd))
}
