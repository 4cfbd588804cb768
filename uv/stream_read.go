package uv

/*
#include "shim.h"
*/
import "C"

import (
	"io"
	"os"
	"unsafe"
)

// Read reads what the stream has, waiting for at least one byte. It returns
// io.EOF when the peer has closed its side, net.ErrClosed once the stream is
// closed, and os.ErrDeadlineExceeded past the read deadline. While it waits it
// lends a large p to libuv, so the bytes land where the caller wants them.
// On an IPC pipe a Read does not cross the place where handles arrived; the
// handles it passes over are kept for Pipe.ReadHandles. Concurrent Reads
// take turns (see Stream). Inside a handler it does not wait: with nothing
// buffered, or while another goroutine's Read has the turn, it returns
// ErrWouldBlock.
func (s *Stream) Read(p []byte) (int, error) {
	n, _, err := s.read(p, false)
	return n, err
}

// read is Read, and with handles, also the handles that arrived with the
// returned data (before it).
func (s *Stream) read(p []byte, handles bool) (int, []*Received, error) {
	l := s.loop
	if !s.rop.lock(l) {
		return 0, nil, ErrWouldBlock
	}
	defer s.rop.unlock()
	re := l.acquire()
	defer l.release(re)
	// As net.Conn: a closed stream or a deadline already past fails the
	// Read even when data is waiting.
	if err := s.usable(); err != nil {
		return 0, nil, err
	}
	if expired(&s.rdl) {
		return 0, nil, os.ErrDeadlineExceeded
	}
	for {
		if hs := s.takeHandles(handles); len(hs) > 0 && handles {
			n := s.take(p)
			return n, hs, nil
		}
		if s.buf.len() > 0 {
			return s.take(p), nil, nil
		}
		if err := s.usable(); err != nil {
			return 0, nil, err
		}
		if s.rerr != nil {
			return 0, nil, s.rerr
		}
		if len(p) == 0 {
			return 0, nil, nil
		}
		if re {
			return 0, nil, ErrWouldBlock
		}
		if s.onRead != nil {
			return 0, nil, errReadHandler
		}
		if s.streaming && !s.reading && len(p) >= minLend && s.beforeData == nil {
			if n, err, ok := s.readDirect(p[:min(len(p), s.bufSize)]); ok {
				return n, nil, err
			}
		}
		if err := s.startReading(); err != nil {
			return 0, nil, err
		}
		if len(p) >= minLend && s.beforeData == nil {
			s.lend(p[:min(len(p), s.bufSize)]) // a read is never larger than the read buffer
		}
		if s.morePending {
			// The last read stopped at an fd's segment (IPC): the socket
			// probably holds the next one, so look before waiting for it.
			s.morePending = false
			l.passFirst = true
		}
		err := l.awaitOn(&s.Handle, s.ch, func() bool {
			return s.lentN >= 0 || s.buf.len() > 0 || len(s.marks) > 0 || s.rerr != nil || s.closing || s.Handle.closed || s.stashed()
		}, &s.rdl)
		s.takeStash()
		n := s.lentN
		s.unlend()
		if n > 0 {
			return n, nil, nil
		}
		if err != nil {
			return 0, nil, err
		}
	}
}

// readDirect reads with read(2) on the calling goroutine, as libuv would,
// while a stream is streaming: the last Read filled a large buffer and libuv
// is not reading, so the socket probably holds more and nothing else reads
// it. ok is false when the socket is empty (EAGAIN): then the Read waits on
// the loop as usual. Not for IPC pipes, whose reads carry fds. Called with
// the lock held.
func (s *Stream) readDirect(p []byte) (n int, err error, ok bool) {
	r := int(C.uvp_read_direct(s.ch, (*C.char)(unsafe.Pointer(&p[0])), C.size_t(len(p))))
	switch {
	case r > 0:
		s.streaming = r == len(p)
		return r, nil, true
	case r == 0:
		s.streaming = false
		s.rerr = io.EOF
		return 0, io.EOF, true
	case r == int(C.UV_EAGAIN):
		s.streaming = false
		return 0, nil, false
	}
	s.streaming = false
	s.rerr = check("read", C.int(r))
	return 0, s.rerr, true
}

// MaxUnclaimedHandles is how many handles a plain Read may pass over and
// keep for a later ReadHandles; beyond it the oldest is closed, so a peer
// cannot fill the fd table of a program that reads an IPC pipe without
// taking its handles (Node's channel keeps as many).
const MaxUnclaimedHandles = 16

// takeHandles returns the handles that arrived before the next unread byte
// (and, for ReadHandles, those a plain Read passed over).
func (s *Stream) takeHandles(handles bool) []*Received {
	var hs []*Received
	for len(s.marks) > 0 && s.marks[0].off == 0 {
		hs = append(hs, s.marks[0].hs...)
		s.marks = s.marks[1:]
	}
	if !handles {
		s.orphans = append(s.orphans, hs...)
		for len(s.orphans) > MaxUnclaimedHandles {
			s.orphans[0].Close() //nolint:errcheck // an fd nobody will claim
			s.orphans[0] = nil
			s.orphans = s.orphans[1:]
		}
		return nil
	}
	if len(s.orphans) > 0 {
		hs = append(s.orphans, hs...)
		s.orphans = nil
	}
	return hs
}

// take copies buffered bytes into p, up to the next place handles arrived.
func (s *Stream) take(p []byte) int {
	avail := s.buf.bytes()
	if len(s.marks) > 0 && s.marks[0].off < len(avail) {
		avail = avail[:s.marks[0].off]
	}
	n := copy(p, avail)
	s.consume(n)
	return n
}

// consume drops n returned bytes and resumes reading if it was paused.
func (s *Stream) consume(n int) {
	for i := range s.marks {
		s.marks[i].off -= n
	}
	s.buf.consume(n)
	if s.stopped && s.buf.len() < s.bufSize*maxBuffered/2 {
		s.stopped = false
		s.startReading()
	}
}

// lend hands p to libuv's alloc callback for the next read.
func (s *Stream) lend(p []byte) {
	s.pin.Pin(&p[0])
	s.lent, s.lentN = p, -1
	s.ch.lend_base = (*C.char)(unsafe.Pointer(&p[0]))
	s.ch.lend_len = C.size_t(len(p))
}

func (s *Stream) unlend() {
	if s.lent == nil {
		return
	}
	if s.ch != nil {
		s.ch.lend_base, s.ch.lend_len = nil, 0
	}
	s.pin.Unpin()
	s.lent, s.lentN = nil, -1
}

// stashed reports whether a quiet read left bytes in the C buffer or the
// lent one (see uvp_handle in shim.h).
func (s *Stream) stashed() bool { return s.ch != nil && (s.ch.stash_n > 0 || s.ch.lent_n > 0) }

// takeStash ends quiet reads and takes the bytes one left, as the read
// callback would have: a blocking Read, after its wait, and whatever
// looks at the buffered bytes outside a Read (OnRead, Detach). One read
// callback fewer per message: a C-to-Go crossing costs about as much as
// the rest of a small read's handling. Called with the lock held.
func (s *Stream) takeStash() {
	if s.ch == nil {
		return
	}
	s.ch.stash_ok = 0
	if n := s.ch.lent_n; n > 0 {
		s.ch.lent_n = 0
		s.quietReads++
		s.lentN = int(n)
	}
	if n := s.ch.stash_n; n > 0 {
		s.ch.stash_n = 0
		s.quietReads++
		s.readCB(int(n), s.ch.cbuf, false)
	}
}

// readCB handles one read: into the lent buffer, or into the C buffer whose
// bytes are copied (or shown to the read handler) before it returns.
func (s *Stream) readCB(n int, base *C.char, lent bool) {
	if n != 0 && s.beforeData != nil {
		s.beforeData()
	}
	switch {
	case n > 0 && lent:
		s.lentN = n
		if n == len(s.lent) && s.onRead == nil && readsDirect {
			// The caller's buffer is full and more may wait in the socket:
			// leave it there for the next Read's buffer rather than copy it
			// through the C buffer (docs/performance.md: lent bulk reads),
			// and let that Read take it with read(2) itself (readDirect).
			C.uv_read_stop(s.stream())
			s.reading, s.streaming = false, true
		}
		return
	case n == 0 && lent:
		if s.lent != nil { // nothing came (EAGAIN): lend the buffer again
			s.ch.lend_base = (*C.char)(unsafe.Pointer(&s.lent[0]))
			s.ch.lend_len = C.size_t(len(s.lent))
		}
		return
	case n > 0:
		data := unsafe.Slice((*byte)(unsafe.Pointer(base)), n)
		if s.onRead != nil {
			s.onRead(data, nil)
			return
		}
		s.buf.append(data)
		if s.buf.len() >= s.bufSize*maxBuffered && s.reading {
			C.uv_read_stop(s.stream())
			s.reading, s.stopped = false, true
		}
		return
	}
	// n < 0: end of stream or an error; libuv has stopped reading on EOF.
	if n == C.UV_EOF && s.beforeData != nil && C.uvp_unread(s.ch) > 0 {
		// Not the end: libuv 1.44 takes POLLHUP after a short read for EOF
		// (uv__stream_io), but on an IPC pipe every read that brings an fd
		// is short, so a peer that sent several handles and closed would
		// lose all but the first. Read on.
		C.uvp_read_start(s.ch)
		return
	}
	err := check("read", C.int(n))
	if err != io.EOF {
		s.stopReading()
	}
	s.reading = false
	s.rerr = err
	if s.onRead != nil {
		s.onRead(nil, err)
	}
}
