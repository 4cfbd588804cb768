package uv

/*
#include "shim.h"
*/
import "C"

import (
	"errors"
	"fmt"
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
	// An IPC pipe's handles received and not yet taken: where they arrived
	// in data, and those whose data was read past.
	marks    []mark
	orphans  []*Received
	listener *movedListener // a listener's state, or nil
}

// Type returns the kind of handle that was detached.
func (d *Detached) Type() HandleType { return d.typ }

// Detach takes the socket off its loop: reading stops, queued writes are
// waited for (inside a handler, a handle with writes queued returns
// ErrWouldBlock; inside a handler of another loop, Detach always does: see
// "Loops and locks" in the package doc), and the handle closes without closing its fd, which the
// Detached now owns with the bytes read and not yet returned. Reads and
// writes on t from now on return net.ErrClosed. A connecting handle cannot
// be detached, nor one on which a Read waits (it owns the buffers that the
// Detached would take).
//
// A listener moves too: its socket keeps listening (connections queue in
// its backlog meanwhile), the attached handle listens again with the same
// backlog, and a connection the old one had accepted and not handed out
// comes first from the new one's Accept (and is announced at once to its
// OnConnection handler).
//
// On Windows a TCP connection moves through a duplicate of its SOCKET
// (WSADuplicateSocketW for this process), which Attach opens with
// uv_tcp_open; a listener is not moved there: Detach fails with
// ErrNotMovable and leaves it listening.
func (t *TCP) Detach() (*Detached, error) { return t.Stream.detach(false) }

// Detach takes the pipe off its loop, as TCP.Detach. An IPC pipe takes the
// handles it received and nobody took yet along, each where it arrived in
// the bytes; only handles still pending in libuv (left by OnHandle, or
// received in the OnRead style without it) make it refuse. A pipe server
// moves as a TCP listener does, and its socket file is removed when the
// attached handle closes.
//
// On Windows a named pipe connection (not IPC) moves: Detach duplicates its
// HANDLE into a C runtime fd, and the attached pipe opens it with
// uv_pipe_open. The pipe stays associated with the I/O completion port of
// the loop it was first opened on (Windows associates a pipe with one port,
// for good), so on any other loop libuv drives it in its emulated mode: each
// read and write waits on an event, which a thread-pool wait posts to the
// new loop's port. Bytes the peer writes meanwhile wait in the pipe. An IPC
// pipe and a pipe server do not move there: Detach fails with ErrNotMovable
// and leaves them as they were (see ErrNotMovable for why).
func (p *Pipe) Detach() (*Detached, error) {
	d, err := p.Stream.detach(p.ipc)
	if d != nil {
		d.ipc = p.ipc
	}
	return d, err
}

// ErrNotMovable is returned, wrapped with the handle's kind and the reason
// (and with syscall.ENOTSUP), by a Detach of a handle that cannot move
// between loops on this platform; the handle is left as it was. Every kind
// moves on unix. On Windows these do not:
//   - a pipe server: libuv's is a set of pipe instances it made and waits
//     on with its own loop's completion port, with no one HANDLE to hand
//     over; a server on another loop could take the name only once the old
//     one had closed (libuv creates the first instance with
//     FILE_FLAG_FIRST_PIPE_INSTANCE), and clients would be refused
//     meanwhile;
//   - an IPC pipe: libuv keeps the state of a frame it has half read (its
//     header, the length still to come) inside the handle, which a handle on
//     another loop would not have;
//   - a TCP listener: libuv may hold connections it accepted ahead
//     (AcceptEx) that package uv cannot take out of the handle there;
//   - a UDP socket: not done.
var ErrNotMovable = errors.New("uv: this kind of handle cannot move between loops here")

func (s *Stream) detach(ipc bool) (*Detached, error) {
	if !s.rop.mu.TryLock() {
		return nil, errReading
	}
	defer s.rop.unlock()
	l := s.loop
	if l.elsewhere() {
		return nil, ErrWouldBlock
	}
	re := l.acquire()
	defer l.release(re)
	if err := s.usable(); err != nil {
		return nil, err
	}
	if err := movable(s.typ, ipc, s.listening); err != nil {
		return nil, err
	}
	if s.listening {
		return s.detachListener(re)
	}
	if s.connecting {
		return nil, errConnecting
	}
	if s.typ == NamedPipe && C.uv_pipe_pending_count(s.pipePtr()) > 0 {
		return nil, errInLibuv
	}
	if err := s.settle(re, func() bool { return s.queued == s.completed && s.shutdown != 1 }); err != nil {
		return nil, err
	}
	s.takeStash()
	fd := C.uvp_detach(s.ch)
	if fd < 0 {
		return nil, check("detach", fd)
	}
	s.reading, s.onRead = false, nil
	d := &Detached{typ: s.typ, fd: int(fd), bufSize: s.bufSize, data: s.buf.takeAll(), rerr: s.rerr,
		marks: s.marks, orphans: s.orphans}
	s.marks, s.orphans = nil, nil // the Detached owns them now
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
	if err := h.loop.awaitOn(h, nil, func() bool { return idle() || h.closing || h.closed }, nil); err != nil {
		return err
	}
	return h.usable()
}

// closeDetached closes a handle whose fd was taken, waiting for its close
// callback except inside a handler. Called with the lock held.
func (h *Handle) closeDetached(re bool) {
	h.startClose()
	if !re {
		h.loop.awaitOn(h, nil, func() bool { return h.closed }, nil)
	}
}

// Detach takes the UDP socket off its loop, as TCP.Detach: the datagrams
// received and not yet returned go with it.
func (u *UDP) Detach() (*Detached, error) {
	if !u.rop.mu.TryLock() {
		return nil, errReading
	}
	defer u.rop.unlock()
	l := u.loop
	if l.elsewhere() {
		return nil, ErrWouldBlock
	}
	re := l.acquire()
	defer l.release(re)
	if err := u.usable(); err != nil {
		return nil, err
	}
	if err := movable(UDPHandle, false, false); err != nil {
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
// once; afterwards d is empty. Inside a handler of another loop than l it
// returns ErrWouldBlock (see "Loops and locks" in the package doc), and d
// keeps the fd.
func (d *Detached) Attach(l *Loop) (IPCAcceptable, error) {
	if d.fd < 0 {
		return nil, errTaken
	}
	if l == nil {
		l = Default()
	}
	if l.elsewhere() {
		return nil, ErrWouldBlock
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
	err = hb.locked(func() error {
		switch v := h.(type) {
		case *TCP:
			return v.restore(d)
		case *Pipe:
			return v.restore(d)
		case *UDP:
			v.queue, v.rerr = d.dgrams, d.rerr
		}
		return nil
	})
	d.data, d.dgrams, d.rerr, d.marks, d.orphans = nil, nil, nil, nil, nil
	if err != nil {
		hb.Close()
		return nil, err
	}
	return h, nil
}

// restore gives a fresh stream what a detached one had read, and a
// listener's state.
func (s *Stream) restore(d *Detached) error {
	if d.listener != nil {
		return s.restoreListener(d.listener)
	}
	s.buf.append(d.data)
	s.rerr = d.rerr
	for _, m := range d.marks {
		rehome(m.hs, s.loop)
	}
	rehome(d.orphans, s.loop)
	s.marks, s.orphans = d.marks, d.orphans
	return nil
}

// rehome makes received handles open on loop l when taken.
func rehome(rs []*Received, l *Loop) {
	for _, r := range rs {
		r.loop = l
	}
}

// Close closes the fd of a handle never attached, dropping what it had read
// and closing the handles it had received and a listener's accepted
// connections.
func (d *Detached) Close() error {
	if d.fd < 0 {
		return nil
	}
	fd := d.fd
	d.fd, d.data, d.dgrams = -1, nil, nil
	err := closeDetachedFD(d.typ, fd)
	for _, m := range d.marks {
		d.orphans = append(d.orphans, m.hs...)
	}
	for _, r := range d.orphans {
		err = errors.Join(err, r.Close())
	}
	d.marks, d.orphans = nil, nil
	if d.listener != nil {
		err = errors.Join(err, d.listener.close())
	}
	return err
}
