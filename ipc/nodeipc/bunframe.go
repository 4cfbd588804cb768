package nodeipc

import (
	"encoding/binary"
	"fmt"

	"github.com/uvpipe/uvpipe/ipc/jsc"
	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

// Bun's advanced framing: every packet is a type byte and a little-endian
// uint32; a version packet carries the version in that uint32 and nothing
// else, the other packets carry that many bytes of JavaScriptCore's
// serialized value (package jsc).
const (
	bunHeaderLen = 5

	bunVersionPacket  = 1 // the uint32 is Bun's IPC version
	bunMessage        = 2 // a message for the program
	bunInternal       = 3 // Bun's own message (its cluster and handle glue)
	bunMessageBuffers = 4 // a [message, buffers] envelope (version 2)

	// bunVersion is the version this package writes: 2, Bun 1.4.5's, which
	// added the envelope that marks Buffers.
	bunVersion = 2
	// bunMaxVersion is the newest version this package reads.
	bunMaxVersion = 2
)

// bunVersionBytes is the packet a Bun channel starts with.
var bunVersionBytes = [bunHeaderLen]byte{bunVersionPacket, bunVersion, 0, 0, 0}

// isBunVersionPacket reports whether b (at least 5 bytes) is a version
// packet of a version this package reads.
func isBunVersionPacket(b []byte) bool {
	if b[0] != bunVersionPacket {
		return false
	}
	v := binary.LittleEndian.Uint32(b[1:])
	return v >= 1 && v <= bunMaxVersion
}

// appendBunFrame appends one Bun advanced packet holding v: type 2 with v's
// serialization, or, when v holds Buffers ([]byte in the model), type 4 with
// the envelope [v, [the Buffers]], whose second element refers to the same
// objects, so that Bun gives them Buffer's prototype again (JavaScriptCore
// itself writes a Buffer as a plain Uint8Array).
func appendBunFrame(dst []byte, v any) ([]byte, error) {
	m, err := jsvalue.FromGo(v)
	if err != nil {
		return dst, &jsc.EncodeError{Reason: err.Error()}
	}
	typ := byte(bunMessage)
	if bufs := collectBuffers(m); len(bufs) > 0 {
		typ = bunMessageBuffers
		m = []any{m, bufs}
	}
	start := len(dst)
	out, err := jsc.Append(append(dst, typ, 0, 0, 0, 0), m)
	if err != nil {
		return dst, err
	}
	n := len(out) - start - bunHeaderLen
	if uint64(n) > 1<<32-1 {
		return dst, fmt.Errorf("a message of %d bytes does not fit Bun's 32-bit length", n)
	}
	binary.LittleEndian.PutUint32(out[start+1:], uint32(n))
	return out, nil
}

// nextBunFrame cuts the next packet of Bun's advanced framing. A version
// packet is checked and skipped; a packet of an unknown type, or a length
// over the limit, cannot be resynchronised and ends the channel. The limit
// is checked before a byte of the payload is kept beyond what was read.
func (f *framer) nextBunFrame() (frame, bool, error) {
	for {
		if len(f.buf) < bunHeaderLen {
			return frame{}, false, nil
		}
		typ := f.buf[0]
		n := binary.LittleEndian.Uint32(f.buf[1:])
		switch typ {
		case bunVersionPacket:
			if n < 1 || n > bunMaxVersion {
				return frame{}, false, &BunVersionError{Version: n}
			}
			f.consume(bunHeaderLen)
			continue
		case bunMessage, bunInternal, bunMessageBuffers:
		default:
			return frame{}, false, &BunFrameError{Type: typ, Length: n, Max: f.max}
		}
		if int64(n) > int64(f.max) {
			return frame{}, false, &BunFrameError{Type: typ, Length: n, Max: f.max}
		}
		if len(f.buf)-bunHeaderLen < int(n) {
			f.compact()
			return frame{}, false, nil
		}
		start := f.base
		d := jsc.Decoder{MaxSize: f.max}
		v, err := d.Decode(f.buf[bunHeaderLen : bunHeaderLen+int(n)])
		f.consume(bunHeaderLen + int(n))
		if err == nil && typ == bunMessageBuffers {
			v, err = restoreBuffers(v)
		}
		if err != nil {
			return frame{start: start, err: fmt.Errorf("nodeipc: bad advanced message at stream offset %d: %w", start, err)}, true, nil
		}
		return frame{start: start, value: v, bun: typ == bunInternal}, true, nil
	}
}
