package bareipc

import (
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"time"

	"github.com/uvpipe/uvpipe/pipe"
)

// Stream is a connected port: a duplex byte stream over two one-way pipes,
// as bare-ipc's IPC stream. Write blocks while the reader lags (the pipe is
// the backpressure). It has no framing: use a MessagePort for messages.
//
// An error destroys the stream, as bare-ipc documents its streamx Duplex
// (the error is emitted, then the stream is destroyed): the first
// read or write error other than io.EOF and a deadline (a write to a port
// whose reader is gone fails with EPIPE, for one) closes both pipes, and from
// then on every Read and Write returns that same error. A Read never returns
// io.EOF after it. bare-ipc 1.1.1 itself lets such an EPIPE escape as an
// uncaught exception; this stream reports it instead.
type Stream struct {
	in, out *pipe.Pipe

	mu  sync.Mutex
	err error // the error that destroyed the stream
}

// Read reads what the other port wrote; io.EOF once it ended its side, or
// the error that destroyed the stream.
func (s *Stream) Read(b []byte) (int, error) {
	if err := s.destroyed(); err != nil {
		return 0, err
	}
	n, err := s.in.Read(b)
	if err != nil && err != io.EOF {
		err = s.fail(err)
	}
	return n, err
}

// Write writes to the other port. It fails with the error that destroyed
// the stream, if one did.
func (s *Stream) Write(b []byte) (int, error) {
	if err := s.destroyed(); err != nil {
		return 0, err
	}
	n, err := s.out.Write(b)
	if err != nil {
		err = s.fail(err)
	}
	return n, err
}

func (s *Stream) destroyed() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// fail destroys the stream with err unless err is one that leaves it usable
// (a deadline) or comes from its closing (by Close, or by an error another
// call met first, which it returns instead).
func (s *Stream) fail(err error) error {
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return err
	}
	s.mu.Lock()
	if s.err != nil {
		err = s.err
		s.mu.Unlock()
		return err
	}
	if errors.Is(err, net.ErrClosed) {
		s.mu.Unlock()
		return err // closed by Close
	}
	s.err = err
	s.mu.Unlock()
	s.in.Close()
	s.out.Close()
	return err
}

// Err returns the error that destroyed the stream, or nil.
func (s *Stream) Err() error { return s.destroyed() }

// CloseWrite ends this side: the other port reads io.EOF, this one can go on
// reading (bare-ipc's end()).
func (s *Stream) CloseWrite() error { return s.out.Close() }

// Close closes both pipes. After an error destroyed the stream it does
// nothing more.
func (s *Stream) Close() error {
	if s.destroyed() != nil {
		return nil
	}
	return errors.Join(s.in.Close(), s.out.Close())
}

// SetReadDeadline sets the deadline for Read, as net.Conn.
func (s *Stream) SetReadDeadline(t time.Time) error { return s.in.SetReadDeadline(t) }

// SetWriteDeadline sets the deadline for Write, as net.Conn.
func (s *Stream) SetWriteDeadline(t time.Time) error { return s.out.SetWriteDeadline(t) }

// Ref makes the stream keep its loop alive (the default).
func (s *Stream) Ref() {
	s.in.Ref()
	s.out.Ref()
}

// Unref makes the stream stop keeping its loop alive.
func (s *Stream) Unref() {
	s.in.Unref()
	s.out.Unref()
}
