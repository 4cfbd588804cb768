package v8

import (
	"encoding/binary"
	"errors"
	"io"
)

// DefaultMaxMessageSize is the largest message a Decoder accepts unless its
// MaxMessageSize says otherwise: 64 MiB.
const DefaultMaxMessageSize = 64 << 20

// maxFrame is the largest length prefix Node can read: its reader treats the
// prefix as a signed 32-bit number.
const maxFrame = 1<<31 - 1

// keepBuffer is the largest buffer an Encoder or Decoder keeps for reuse
// after a message; larger ones are dropped so one big message does not pin
// its memory.
const keepBuffer = 4 << 20

// An Encoder writes V8 serialized values to a stream in the framing of Node's
// child_process "advanced" mode: each message is a 4-byte big-endian length
// followed by the V8 payload (0xFF 0x0F and one value). Each message is
// handed to the writer in a single Write call. An Encoder is not safe for
// concurrent use.
type Encoder struct {
	w   io.Writer
	buf []byte

	// MaxDepth limits how deeply values may nest; 0 means DefaultMaxDepth.
	MaxDepth int
}

// NewEncoder returns an Encoder writing to w.
func NewEncoder(w io.Writer) *Encoder { return &Encoder{w: w} }

// Encode writes one message holding v.
func (e *Encoder) Encode(v any) error {
	buf, err := e.appendFrame(e.buf[:0], v)
	if err != nil {
		return err
	}
	if cap(buf) <= keepBuffer {
		e.buf = buf
	} else {
		e.buf = nil
	}
	_, err = e.w.Write(buf)
	return err
}

// AppendFrame appends one framed message holding v (length prefix and V8
// payload) to dst.
func AppendFrame(dst []byte, v any) ([]byte, error) {
	return appendFrame(dst, v, DefaultMaxDepth)
}

func (e *Encoder) appendFrame(dst []byte, v any) ([]byte, error) {
	return appendFrame(dst, v, e.MaxDepth)
}

func appendFrame(dst []byte, v any, maxDepth int) ([]byte, error) {
	start := len(dst)
	buf, err := appendValue(append(dst, 0, 0, 0, 0), v, maxDepth)
	if err != nil {
		return dst, err
	}
	n := len(buf) - start - 4
	if n > maxFrame {
		return dst, &FrameError{Length: uint32(min(n, 1<<32-1)), Max: maxFrame, Err: ErrFrameTooLarge}
	}
	binary.BigEndian.PutUint32(buf[start:], uint32(n))
	return buf, nil
}

// A Decoder reads framed V8 messages from a stream (see Encoder). It reads
// ahead into its own buffer, so a length prefix or a message split across
// reads anywhere is put back together. A Decoder is not safe for concurrent
// use.
//
// Decode aliases as Node's deserializer does, which returns Buffers that are
// views into the received message: the Buffers, ArrayBuffers and typed
// arrays of a message that does not fit the read-ahead buffer (64 KiB with
// its length prefix) share the memory that message was read into, with no
// copy. That memory belongs to the message alone: the Decoder reads no
// later message into it, so the values stay intact. It stays allocated
// while any of them is held, so clone a small part of a large message
// (bytes.Clone) to keep it for long. Smaller messages are read into the
// reused read-ahead buffer, and their byte values are copies.
type Decoder struct {
	r     io.Reader
	buf   []byte // read-ahead; data in buf[start:end]
	start int
	end   int
	msg   []byte // a message larger than the read-ahead buffer
	own   bool   // the last message was read into msg, not into buf
	err   error  // sticky: a framing or read error

	// MaxMessageSize is the largest payload accepted, checked before any
	// allocation; 0 means DefaultMaxMessageSize. Larger length prefixes are
	// a *FrameError, and so is any prefix of 2^31 or more.
	MaxMessageSize int
	// MaxDepth limits how deeply values may nest; 0 means DefaultMaxDepth.
	MaxDepth int
}

// NewDecoder returns a Decoder reading from r.
func NewDecoder(r io.Reader) *Decoder { return &Decoder{r: r} }

const readAhead = 64 << 10

// fill makes at least n bytes available in buf[start:end].
func (d *Decoder) fill(n int) error {
	if d.end-d.start >= n {
		return nil
	}
	if d.buf == nil {
		d.buf = make([]byte, readAhead)
	}
	if d.start+n > len(d.buf) {
		copy(d.buf, d.buf[d.start:d.end])
		d.end -= d.start
		d.start = 0
	}
	for empty := 0; d.end-d.start < n; {
		m, err := d.r.Read(d.buf[d.end:])
		d.end += m
		if d.end-d.start >= n {
			return nil
		}
		if err != nil {
			return err
		}
		if m > 0 {
			empty = 0
		} else if empty++; empty >= 100 {
			return io.ErrNoProgress
		}
	}
	return nil
}

// ReadMessage reads the next message and returns its V8 payload (0xFF
// first). The slice is valid until the next call to ReadMessage or Decode. At the end of the stream
// it returns io.EOF, and io.ErrUnexpectedEOF if the stream ends inside a
// message.
func (d *Decoder) ReadMessage() ([]byte, error) {
	if d.err != nil {
		return nil, d.err
	}
	d.own = false
	p, err := d.readMessage()
	if err != nil {
		d.err = err
	}
	return p, err
}

func (d *Decoder) readMessage() ([]byte, error) {
	if err := d.fill(4); err != nil {
		if err == io.EOF && d.end == d.start {
			return nil, io.EOF
		}
		return nil, unexpected(err)
	}
	h := d.buf[d.start : d.start+4]
	n := binary.BigEndian.Uint32(h)
	if n == 0 {
		return nil, &FrameError{Length: 0, Err: ErrFrameNotV8}
	}
	if err := d.fill(5); err != nil {
		return nil, unexpected(err)
	}
	first := d.buf[d.start+4]
	if h[0] == 1 && h[1] >= 1 && h[1] <= 15 && h[2] == 0 && h[3] == 0 && first == 0 {
		return nil, &BunAdvancedError{Version: h[1]}
	}
	max := d.MaxMessageSize
	if max <= 0 {
		max = DefaultMaxMessageSize
	}
	if n > maxFrame || int64(n) > int64(max) {
		return nil, &FrameError{Length: n, Max: min(max, maxFrame), Err: ErrFrameTooLarge}
	}
	if first != tagVersion {
		return nil, &FrameError{Length: n, Max: max, Err: ErrFrameNotV8}
	}
	size := int(n)
	if 4+size <= len(d.buf) {
		if err := d.fill(4 + size); err != nil {
			return nil, unexpected(err)
		}
		p := d.buf[d.start+4 : d.start+4+size : d.start+4+size]
		d.start += 4 + size
		return p, nil
	}
	// Larger than the read-ahead buffer: read straight into a message
	// buffer of the exact size, reused unless Decode aliased the last one.
	if cap(d.msg) < size {
		d.msg = make([]byte, size)
	}
	d.own = true
	p := d.msg[:size]
	k := copy(p, d.buf[d.start+4:d.end])
	d.start, d.end = 0, 0
	if _, err := io.ReadFull(d.r, p[k:]); err != nil {
		return nil, unexpected(err)
	}
	if cap(d.msg) > keepBuffer {
		d.msg = nil
	}
	return p, nil
}

func unexpected(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// Decode reads the next message and stores its value in v, as Unmarshal
// does, except that byte values of a large message share its memory (see
// Decoder). A message that is framed correctly but does not decode gives a
// *DecodeError, and the next call reads the following message; a broken
// stream gives the same error on every later call.
func (d *Decoder) Decode(v any) error {
	p, err := d.ReadMessage()
	if err != nil {
		return err
	}
	// Only a message in its own buffer is aliased: the read-ahead buffer is
	// reused for the next messages.
	aliased, err := unmarshal(p, v, d.MaxDepth, d.own)
	if aliased {
		// The result holds on to msg: read no later message into it.
		d.msg = nil
	}
	return err
}
