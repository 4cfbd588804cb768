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
// the calling goroutine; the rest is copied into a libuv write request, and
// Write waits for it to complete, so it returns only when all of p is written
// or it failed. Inside a handler it queues the rest and returns at once; a
// failure of that queued write is returned by the next Write. Inside another
// loop's handler it never waits for this loop (see "Loops and locks" in the
// package doc): it writes and queues as inside a handler when the loop's
// lock is free, else it posts a copy of p to the loop; either way it returns
// len(p) unless the stream is already known closed or failed.
func (s *Stream) Write(p []byte) (int, error) { return s.write(p, nil, false) }

// write writes p with, on an IPC pipe, send travelling with its first bytes;
// with release, send is closed once the write is done with it.
func (s *Stream) write(p []byte, send *Handle, release bool) (n int, err error) {
	l := s.loop
	re, cross := l.acquireOrCross()
	if cross {
		return s.writeElsewhere(p, func() (*Handle, bool, error) { return send, release, nil }, nil)
	}
	defer l.release(re)
	if l.crossPending.Load() != 0 {
		s.flushCross() // writes handed over from other loops go first
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
		rest := chunk[r:]
		if sh != nil && send.scratch {
			// A borrowed fd (WriteFD) may be closed by its owner once the
			// Write returns, before the request sends it: it sends a
			// duplicate, or nothing is queued.
			if err := send.ownDup(); err != nil {
				return written, err
			}
		}
		if err := s.queue(rest, sh, re || l.elsewhere()); err != nil {
			return written, err
		}
		written += len(rest)
	}
	return written, nil
}

// queue hands rest (with sh) to libuv as one write request and, unless
// inside a handler, waits for it. A waiting Write lends rest itself, pinned,
// to the request; if the wait ends first (deadline, close), the request gets
// a copy of what it has still to write before rest is let go. Inside a handler
// the bytes are copied at once. Called with the lock held.
func (s *Stream) queue(rest []byte, sh *C.uvp_handle, re bool) error {
	var pin runtime.Pinner
	borrow := !re
	if borrow {
		pin.Pin(&rest[0])
		defer pin.Unpin()
	}
	var w *C.uvp_write_req
	if r := C.uvp_queue(s.ch, (*C.char)(unsafe.Pointer(&rest[0])), C.size_t(len(rest)), sh, cbool(borrow), &w); r < 0 {
		return check("write", r)
	}
	ticket := s.queued
	s.queued++
	s.loop.wake()
	if re {
		return nil
	}
	err := s.loop.await(func() bool { return s.completed > ticket || s.closing || s.Handle.closed }, &s.wdl)
	if s.completed <= ticket {
		C.uvp_write_detach(w)
		if err == nil {
			err = net.ErrClosed
		}
		return err
	}
	if s.werr != nil && s.werrAt == ticket {
		err := s.werr
		s.werr = nil
		return err
	}
	return nil
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

// writeCB counts a completed write request, keeping the first failure, and
// closes the send handles the write was the last to need.
func (s *Stream) writeCB(status C.int) {
	if status < 0 && s.werr == nil {
		s.werr, s.werrAt = check("write", status), s.completed
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
		l.wake()
	}
	if re {
		return nil
	}
	if err := l.await(func() bool { return s.shutdown == 2 || s.closing || s.Handle.closed }, nil); err != nil {
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
