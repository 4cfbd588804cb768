package bareipc

import (
	"errors"
	"time"

	"github.com/uvpipe/uvpipe/pipe"
)

// Stream is a connected port: a duplex byte stream over two one-way pipes,
// as bare-ipc's IPC stream. Write blocks while the reader lags (the pipe is
// the backpressure). It has no framing: use a MessagePort for messages.
type Stream struct {
	in, out *pipe.Pipe
}

// Read reads what the other port wrote; io.EOF once it ended its side.
func (s *Stream) Read(b []byte) (int, error) { return s.in.Read(b) }

// Write writes to the other port.
func (s *Stream) Write(b []byte) (int, error) { return s.out.Write(b) }

// CloseWrite ends this side: the other port reads io.EOF, this one can go on
// reading (bare-ipc's end()).
func (s *Stream) CloseWrite() error { return s.out.Close() }

// Close closes both pipes.
func (s *Stream) Close() error { return errors.Join(s.in.Close(), s.out.Close()) }

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
