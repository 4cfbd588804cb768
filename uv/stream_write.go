package uv

/*
#include "shim.h"
*/
import "C"

import (
	"errors"
	"net"
	"os"
	"runtime"
	"unsafe"
)

// maxWriteChunk bounds one libuv write request (libuv takes 32-bit lengths).
const maxWriteChunk = 1 << 30

var (
	errReadHandler = errors.New("uv: Read on a stream with a read handler (OnRead)")
	errEmptyHandle = errors.New("uv: a handle must be sent with at least one byte of data (libuv drops a handle sent with none)")
)

// Write writes p. What the socket takes at once is written by uv_try_write on
// the calling goroutine; the rest is handed to libuv as write requests that
// borrow p (pinned), and Write waits for them to complete, so it returns only
// when all of p is written or it failed. Concurrent Writes take turns, and
// each Write's bytes are contiguous on the wire (see Stream).
//
// n counts exactly the bytes that reach the peer, so a caller that goes on
// with p[n:] sends no byte twice:
//   - when the write deadline passes while the rest waits in libuv's queue,
//     the rest cannot be taken back (libuv has no way to cancel a write
//     request): it is copied out of p and still goes out, ahead of any later
//     write, so n counts it, and Write returns it with
//     os.ErrDeadlineExceeded; only a Close before it drains discards it, and
//     a failure of it is returned by the next Write;
//   - when the stream (or its loop) is closed while Write waits, libuv
//     cancels the rest, and n counts what the socket had taken of it, with
//     net.ErrClosed;
//   - when a queued write fails (EPIPE...), n counts what the socket had
//     taken before, with that error.
//
// On Windows a named pipe is the exception for a Write cut short by Close:
// a pipe write larger than the room in the pipe's buffer waits, the peer
// reads straight from it, and the close ends it reporting none of its bytes
// transferred; n leaves out what the peer had read of that one request, so
// it is then a lower bound (the stream is closed: nothing can be retried on
// it). A deadline, TCP and every other platform keep n exact.
//
// Inside a handler it queues the rest (copied) and returns at once with n =
// len(p); a failure of that queued write is returned by the next Write.
//
// Inside another loop's handler it never waits for this loop (see "Loops and
// locks" in the package doc): it writes and queues as inside a handler when
// the loop's lock is free, else it posts a copy of p to the loop; either way
// it returns len(p) unless the stream is already known closed or failed.
func (s *Stream) Write(p []byte) (int, error) { return s.write(p, nil, false) }

// write writes p with, on an IPC pipe, send travelling with its first bytes;
// with release, send is closed once the write is done with it.
func (s *Stream) write(p []byte, send *Handle, release bool) (n int, err error) {
	return s.writeMode(p, send, release, -1)
}

// writeMode is write; with limit >= 0 it never waits for the peer, as
// WriteNoWait (limit 0: no bound on the queue).
func (s *Stream) writeMode(p []byte, send *Handle, release bool, limit int) (n int, err error) {
	nowait := limit >= 0
	l := s.loop
	if s.wop.lock(l) {
		defer s.wop.unlock()
	} // else inside a loop, while another Write waits: this one never waits for its turn
	re, cross := l.acquireOrCross()
	if cross {
		if nowait && limit > 0 && int(s.queueHint.Load()) >= limit {
			return 0, ErrQueueFull
		}
		return s.writeElsewhere(p, func() (*Handle, bool, error) { return send, release, nil }, nil)
	}
	defer l.release(re)
	if l.crossPending.Load() != 0 {
		s.flushCross() // writes handed over from other loops go first
	}
	if nowait && limit > 0 && s.usable() == nil && int(C.uv_stream_get_write_queue_size(s.stream())) >= limit {
		return 0, ErrQueueFull
	}
	if release {
		queued := s.queued
		defer func() {
			if s.queued > queued && s.completed <= queued {
				// Still queued in libuv: close it when that write is done.
				s.releases = append(s.releases, releaseAt{ticket: queued, h: send})
				return
			}
			send.startClose()
		}()
	}
	if send != nil {
		if len(p) == 0 {
			return 0, errEmptyHandle
		}
		if send.usable() != nil {
			return 0, check("uv_write2", C.UV_EBADF)
		}
	}
	// As net.Conn: a write deadline already past fails the Write before it
	// writes anything.
	if err := s.usable(); err != nil {
		return 0, err
	}
	if expired(&s.wdl) {
		return 0, os.ErrDeadlineExceeded
	}
	written := 0
	for written < len(p) || (len(p) == 0 && written == 0) {
		if err := s.usable(); err != nil {
			return written, err
		}
		if err := s.takeWriteErr(); err != nil {
			return written, err
		}
		if len(p) == 0 {
			return 0, nil
		}
		chunk := p[written:]
		if len(chunk) > maxWriteChunk {
			chunk = chunk[:maxWriteChunk]
		}
		var sh *C.uvp_handle
		if send != nil && written == 0 {
			sh = send.ch
		}
		r := int(C.uvp_try(s.ch, (*C.char)(unsafe.Pointer(&chunk[0])), C.size_t(len(chunk)), sh))
		if r < 0 {
			return written, check("write", C.int(r))
		}
		written += r
		if r == len(chunk) {
			continue
		}
		if r > 0 {
			sh = nil // the handle went with the first bytes
		}
		if sh != nil && send.scratch {
			// A borrowed fd (WriteFD) may be closed by its owner once the
			// Write returns, before the request sends it: it sends a
			// duplicate, or nothing is queued.
			if err := send.ownDup(); err != nil {
				return written, err
			}
		}
		// Queue all the rest at once, so that nothing written meanwhile
		// (a handler's Write) comes between its bytes.
		q, err := s.queue(p[written:], sh, re || nowait || l.elsewhere())
		return written + q, err
	}
	return written, nil
}

// queue hands rest (with sh) to libuv as write requests of at most
// maxWriteChunk bytes and, unless inside a handler, waits for them; it
// returns how many bytes of rest reach the peer (see Write). A waiting Write
// lends rest itself, pinned, to the requests. If the write deadline passes
// first, the requests get a copy of what they have still to write before
// rest is let go, and they are counted as written. If the stream or the loop
// closes first, queue waits for libuv to cancel them, which tells how much of
// each had been written. Inside a handler the bytes are copied at once.
// Called with the lock held.
func (s *Stream) queue(rest []byte, sh *C.uvp_handle, re bool) (int, error) {
	var pin runtime.Pinner
	borrow := !re
	if borrow {
		pin.Pin(&rest[0])
		defer pin.Unpin()
	}
	first := s.queued
	var one [1]*C.uvp_write_req
	reqs := one[:0]
	var qerr error
	queued := 0
	for queued < len(rest) {
		k := min(len(rest)-queued, maxWriteChunk)
		var w *C.uvp_write_req
		if r := C.uvp_queue(s.ch, (*C.char)(unsafe.Pointer(&rest[queued])), C.size_t(k), sh, cbool(borrow), &w); r < 0 {
			qerr = check("write", r)
			break
		}
		sh = nil
		reqs = append(reqs, w)
		s.queued++
		queued += k
	}
	if queued == 0 {
		return 0, qerr
	}
	last := s.queued
	l := s.loop
	l.wake(&s.Handle)
	if re {
		s.queueHint.Store(int64(C.uv_stream_get_write_queue_size(s.stream())))
		return queued, qerr
	}
	s.wFrom, s.wTo, s.wUnsent, s.wErr = first, last, 0, nil
	defer func() { s.wFrom, s.wTo, s.wUnsent, s.wErr = 0, 0, 0, nil }()
	err := l.awaitOn(&s.Handle, nil, func() bool { return s.completed >= last || s.closing || s.Handle.closed }, &s.wdl)
	if s.completed < last && err == os.ErrDeadlineExceeded {
		for i, w := range reqs {
			if first+uint64(i) >= s.completed {
				C.uvp_write_detach(w)
			}
		}
		return queued, err
	}
	if s.completed < last {
		// Closing: libuv cancels the requests in its next pass.
		s.awaitCancelled(last)
	}
	n := queued - s.wUnsent
	err = s.wErr
	if n < queued && (s.closing || s.Handle.closed || l.closing || l.closed) {
		err = net.ErrClosed
	}
	if err == nil {
		err = qerr
	}
	return n, err
}

// awaitCancelled waits, once the stream or its loop is closing, for the
// callbacks of the write requests before last, which libuv cancels on
// close. Called with the lock held.
func (s *Stream) awaitCancelled(last uint64) {
	l := s.loop
	if l.awaitOn(&s.Handle, nil, func() bool { return s.completed >= last }, nil) == nil {
		return
	}
	// The loop is closing: its Close closes every handle, and so cancels
	// the requests (their callbacks signal this follower), once the leader
	// has stepped down; it signals every follower when it is done.
	for s.completed < last && !l.closed {
		l.follow(&s.Handle, nil)
	}
}

// takeWriteErr returns (once) the failure of a write queued by a handler.
func (s *Stream) takeWriteErr() error {
	err := s.werr
	s.werr = nil
	return err
}

// releaseAt is a send handle to close once write request ticket is done.
type releaseAt struct {
	ticket uint64
	h      *Handle
}

// writeCB counts a completed write request, keeping the first failure (for
// the Write that waits for the request, or else for the next Write), and
// closes the send handles the write was the last to need.
func (s *Stream) writeCB(status C.int) {
	switch {
	case status >= 0:
	case s.completed >= s.wFrom && s.completed < s.wTo: // a waiting Write's
		s.wUnsent += int(s.ch.write_left)
		if s.wErr == nil {
			s.wErr = check("write", status)
		}
	case s.werr == nil:
		s.werr = check("write", status)
	}
	s.completed++
	for len(s.releases) > 0 && s.releases[0].ticket < s.completed {
		s.releases[0].h.startClose()
		s.releases = s.releases[1:]
	}
	s.writeDone(status)
}

// WriteQueueSize returns the number of bytes queued in libuv, waiting for the
// socket to take them: a measure of backpressure.
func (s *Stream) WriteQueueSize() int {
	l := s.loop
	re := l.acquire()
	defer l.release(re)
	if s.usable() != nil {
		return 0
	}
	return int(C.uv_stream_get_write_queue_size(s.stream()))
}

// CloseWrite shuts down the writing side once queued writes are done (a half
// close): the peer reads io.EOF, and this side can go on reading. It waits for
// the shutdown to complete, except inside a handler.
func (s *Stream) CloseWrite() error {
	l := s.loop
	re := l.acquire()
	defer l.release(re)
	if err := s.usable(); err != nil {
		return err
	}
	if s.shutdown == 0 {
		if r := C.uvp_shutdown(s.ch); r < 0 {
			return check("shutdown", r)
		}
		s.shutdown = 1
		l.wake(&s.Handle)
	}
	if re {
		return nil
	}
	if err := l.awaitOn(&s.Handle, nil, func() bool { return s.shutdown == 2 || s.closing || s.Handle.closed }, nil); err != nil {
		return err
	}
	if s.shutdown != 2 {
		return net.ErrClosed
	}
	return s.shutErr
}

func (s *Stream) shutdownCB(status C.int) {
	s.shutdown = 2
	if status < 0 {
		s.shutErr = check("shutdown", status)
	}
}
