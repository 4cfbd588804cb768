package uv

/*
#include "shim.h"
*/
import "C"

import (
	"runtime"
	"sync/atomic"
	"time"
)

// DefaultReadBufferSize is the size of a stream's C read buffer, and so the
// most one read callback delivers, unless a config says otherwise.
const DefaultReadBufferSize = 65536

// minLend is the smallest buffer a Read lends to libuv: below it, copying out
// of the C buffer costs less than pinning the caller's buffer.
const minLend = 4096

// maxBuffered is how many bytes a stream buffers for a Read before it stops
// reading from the socket (backpressure), in read buffers.
const maxBuffered = 16

// Stream is what pipes and TCP sockets share: reading, writing, half close
// and listening, on a libuv stream handle.
//
// Read and Write follow io.Reader and io.Writer (and net.Conn's deadlines);
// OnRead is the event style instead, where a handler gets the bytes of each
// read inside libuv's read callback.
//
// Read, Write and Close may be called from several goroutines at once, as
// on a net.Conn; concurrent callers take turns and never share a buffer.
// One Read at a time owns the read side (the buffer it lends to libuv, the
// quiet reads it allows, the handles that arrived with its bytes; Read and
// Pipe.ReadHandles alike); one Write at a time owns the write side (Write,
// Pipe.WriteHandle and Pipe.WriteFD alike), so one Write's bytes are
// contiguous on the wire. A Read or Write takes its side's turn before the
// loop lock and keeps it while it waits on the loop. Close marks the stream
// closing, which wakes the Read and the Write that wait, and returns once
// they have left; callers still waiting for their turn then return
// net.ErrClosed. Inside a handler or Loop.Do nothing waits for a turn: a
// Read while another goroutine's Read owns the read side returns
// ErrWouldBlock, and a Write writes what the socket takes and queues the
// rest, all under the loop lock, which keeps its bytes contiguous too (a waiting Write has queued all of its bytes before it
// lets the loop lock go).
type Stream struct {
	Handle

	rop, wop opMutex // the read side's and the write side's turns (opmutex.go)

	// Read side, under the loop lock.
	reading    bool
	stopped    bool       // reading paused: too much buffered
	buf        readBuffer // bytes read and not yet returned
	rerr       error      // how the read side ended (io.EOF, an error)
	quietReads uint64     // reads taken after a pass, without a read callback (takeStash)
	lent       []byte     // the buffer a blocked Read lends to libuv
	lentN      int        // bytes read into lent, -1 while none
	// streaming: the last lent buffer filled up and libuv stopped reading,
	// so the next Read tries read(2) itself first.
	streaming bool
	// morePending: an IPC read brought handles, and such a read stops at
	// the segment that carried them, so more may wait in the socket.
	morePending bool
	pin         runtime.Pinner
	onRead      func([]byte, error)
	marks       []mark      // IPC pipes: handles received, at offsets into buf
	orphans     []*Received // handles whose data a plain Read passed over
	// beforeData runs in the read callback before a read's data is taken:
	// IPC pipes take the handles that came with it there.
	beforeData func()
	bufSize    int
	rdl, wdl   time.Time // read and write deadlines

	// Write side, under the loop lock.
	queued    uint64 // write requests queued in libuv so far
	completed uint64 // of those, completed
	werr      error  // the first failed queued write no Write waits for
	// The requests [wFrom, wTo) of the Write that waits for them, the
	// bytes of theirs that libuv reported unwritten when they failed or
	// were cancelled (uvp_handle.write_left), and their first failure.
	wFrom, wTo uint64
	wUnsent    int
	wErr       error
	releases   []releaseAt // send handles to close when their write is done
	shutdown   int         // 0 none, 1 started, 2 done
	shutErr    error

	onWritten func(queued int, err error) // OnWriteDone's hook, under the loop lock
	// queueHint is WriteQueueSize as last seen under the loop lock (after a
	// write was queued without waiting, after a queued write completed):
	// what WriteNoWait checks from inside another loop.
	queueHint atomic.Int64
	moved     listenMove // a listener's backlog, and what a move carried (detach_listener.go)

	// Listening and connecting, under the loop lock.
	listening  bool
	backlogged int // connections waiting to be accepted
	listenErr  error
	onConn     func(error)
	connecting bool
	connErr    error
}

// streamOwner is what the read and write callbacks find behind a key.
type streamOwner interface {
	owner
	streamBase() *Stream
}

func (s *Stream) streamBase() *Stream { return s }

// initStream prepares the Go side; the caller then runs uv_*_init.
func (s *Stream) initStream(l *Loop, o streamOwner, typ HandleType, bufSize int) error {
	if bufSize <= 0 {
		bufSize = DefaultReadBufferSize
	}
	s.bufSize, s.lentN = bufSize, -1
	if err := s.Handle.init(l, o, typ, bufSize); err != nil {
		return err
	}
	s.onClosed = s.closedCB
	return nil
}

// Close closes the stream, as Handle.Close, and also waits for the Read and
// the Write in progress, which the close wakes, to return (net.ErrClosed).
// Inside a handler it starts the close and returns at once.
func (s *Stream) Close() error {
	re, err := s.Handle.close()
	if !re {
		s.rop.drain()
		s.wop.drain()
	}
	return err
}

// closedCB runs from the close callback: the lent buffer is given back, and
// handles received but never handed out are closed.
func (s *Stream) closedCB() {
	s.unlend()
	for _, m := range s.marks {
		s.orphans = append(s.orphans, m.hs...)
	}
	for _, r := range s.orphans {
		r.Close()
	}
	s.marks, s.orphans = nil, nil
}

// startReading starts libuv reading if it is not. Called with the lock held.
func (s *Stream) startReading() error {
	if s.reading || s.rerr != nil {
		return nil
	}
	if r := C.uvp_read_start(s.ch); r < 0 && r != C.UV_EALREADY {
		return check("uv_read_start", r)
	}
	s.reading, s.stopped = true, false
	s.loop.wake(&s.Handle)
	return nil
}

func (s *Stream) stopReading() {
	if s.reading && s.ch != nil {
		C.uv_read_stop(s.stream())
	}
	s.reading = false
}

// OnRead switches the stream to the event style: fn is called under the loop
// lock with the bytes of each read (valid only during the call: copy what you
// keep), and once with a nil slice and io.EOF or an error when the stream
// ends. Bytes already read and not returned by Read are given to fn at once,
// and so is the end when a Read has already met it. fn must not block; it may
// write, and may close the stream. Read cannot be used while a handler is
// set; OnRead(nil) stops reading.
func (s *Stream) OnRead(fn func(data []byte, err error)) error {
	l := s.loop
	re := l.acquire()
	defer l.release(re)
	if err := s.usable(); err != nil {
		return err
	}
	s.takeStash() // bytes a waiting Read's quiet read left go to fn
	s.onRead = fn
	if fn == nil {
		s.stopReading()
		return nil
	}
	if s.buf.len() > 0 {
		fn(s.buf.takeAll(), nil)
	}
	if s.rerr != nil && s.onRead != nil {
		fn(nil, s.rerr) // the read side ended before fn was set
		return nil
	}
	return s.startReading()
}

// SetReadDeadline sets the deadline for Read, as net.Conn does: a Read
// blocked now returns os.ErrDeadlineExceeded once it passes.
func (s *Stream) SetReadDeadline(t time.Time) error { return s.setDeadline(&s.rdl, t) }

// SetWriteDeadline sets the deadline for a Write that has to wait. A Write
// that passes it returns os.ErrDeadlineExceeded with n counting also the
// rest it had queued in libuv, which still goes out (see Write): retrying
// p[n:] sends no byte twice.
func (s *Stream) SetWriteDeadline(t time.Time) error { return s.setDeadline(&s.wdl, t) }

// SetDeadline sets both deadlines.
func (s *Stream) SetDeadline(t time.Time) error {
	if err := s.SetReadDeadline(t); err != nil {
		return err
	}
	return s.SetWriteDeadline(t)
}

func (s *Stream) setDeadline(d *time.Time, t time.Time) error {
	l := s.loop
	re := l.acquire()
	defer l.release(re)
	if err := s.usable(); err != nil {
		return err
	}
	*d = t
	l.wake(&s.Handle)
	return nil
}
