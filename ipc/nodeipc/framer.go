package nodeipc

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/uvpipe/uvpipe/ipc/nodejson"
	v8 "github.com/uvpipe/uvpipe/ipc/v8"
)

// framer cuts a received byte stream into messages and decodes them, keeping
// the stream offset at which each message starts (handles are bound to
// messages by offset).
type framer struct {
	mode    Serialization
	wire    wire // wireV8 or wireBun in advanced mode
	detect  bool // advanced: the peer's first bytes may change wire
	max     int
	buf     []byte // bytes not yet consumed
	store   []byte // JSON: the array buf lives in between messages (space)
	base    int64  // stream offset of buf[0]
	scanned int    // JSON: bytes of buf known to hold no newline
	skip    bool   // JSON: skipping the rest of a line beyond max
	started bool   // advanced: the first frame has been looked at (Bun check)
	// switched is called when the peer's first bytes changed wire
	// (detect): the channel then writes that wire too.
	switched func(wire)
}

// frame is one message cut from the stream.
type frame struct {
	start int64 // stream offset of its first byte
	value any
	err   error // the message did not decode; the stream goes on
	// bun is set for one of Bun's internal lines (0x02 then JSON), which
	// are Bun's own (its cluster module) and never reach the program.
	bun bool
}

// bunInternalTag starts the JSON line of a Bun internal message.
const bunInternalTag = 0x02

// write adds received bytes.
func (f *framer) write(b []byte) { f.buf = append(f.buf, b...) }

// readChunk is the size of the framer's own array (JSON), and at least what
// space offers for one read.
const readChunk = 64 << 10

// space returns where the next read may put its bytes, right after the
// unconsumed ones, so that they are parsed where they were read, with no
// copy and no allocation per message; grown adds what was put there. Only
// JSON lines are read this way: their decoded values hold none of the
// buffer's memory (nodejson copies what it keeps), so the array can be used
// again once its lines are consumed.
func (f *framer) space() []byte {
	if f.store == nil {
		f.store = make([]byte, readChunk)
	}
	switch {
	case len(f.buf) == 0:
		f.buf = f.store[:0] // everything consumed: start again at the front
	case cap(f.buf)-len(f.buf) >= readChunk/4:
	case len(f.buf) <= readChunk/2:
		f.buf = f.store[:copy(f.store, f.buf)] // an incomplete line moves to the front
	default: // a long line: an array of its own, growing by half (compact keeps it)
		grown := make([]byte, len(f.buf), len(f.buf)+len(f.buf)/2)
		copy(grown, f.buf)
		f.buf = grown
	}
	return f.buf[len(f.buf):cap(f.buf)]
}

// grown adds the n bytes a read put in space.
func (f *framer) grown(n int) { f.buf = f.buf[:len(f.buf)+n] }

// inStore reports whether buf lies in store: slicing off consumed bytes
// keeps the end of the array.
func (f *framer) inStore() bool {
	return cap(f.buf) > 0 && len(f.store) > 0 && &f.buf[:cap(f.buf)][cap(f.buf)-1] == &f.store[len(f.store)-1]
}

// pending is how many bytes of a message that has begun but is not complete
// the framer holds (or, for a line beyond the limit, has skipped).
func (f *framer) pending() int {
	if f.skip {
		return len(f.buf) + 1
	}
	return len(f.buf)
}

// offset is the stream offset just past the bytes received so far.
func (f *framer) offset() int64 { return f.base + int64(len(f.buf)) }

// next returns the next complete message, ok false when more bytes are
// needed, or a fatal error when the stream cannot be read on.
func (f *framer) next() (fr frame, ok bool, fatal error) {
	switch f.wire {
	case wireJSON:
		return f.nextLine()
	case wireBun:
		if !f.started && len(f.buf) >= bunHeaderLen {
			if f.detect && f.buf[0] == 0 && f.buf[4] == 0xFF { // a V8 frame's header: a Node peer
				f.switchTo(wireV8)
				return f.nextFrame()
			}
			f.started = true
			if f.buf[0] > bunMessageBuffers && looksLikeJSON(f.buf[:bunHeaderLen]) {
				return frame{}, false, &MismatchError{Mode: Advanced, Peer: JSON}
			}
		}
		return f.nextBunFrame()
	}
	return f.nextFrame()
}

// switchTo changes the wire after the peer's first bytes showed another.
func (f *framer) switchTo(w wire) {
	f.wire = w
	f.detect = false
	if f.switched != nil {
		f.switched(w)
	}
}

func (f *framer) consume(n int) {
	f.buf = f.buf[n:]
	f.base += int64(n)
	if len(f.buf) == 0 && cap(f.buf) > 1<<20 {
		f.buf = nil // let a large message's memory go
	}
}

// compact moves the unconsumed bytes to the front of a fresh buffer when the
// consumed part dominates, so memory stays bounded by the largest message.
func (f *framer) compact() {
	if len(f.buf) > 0 && cap(f.buf) > 2*len(f.buf)+4096 && !f.inStore() {
		f.buf = append([]byte(nil), f.buf...)
	}
}

func (f *framer) nextLine() (frame, bool, error) {
	for {
		if !f.started && len(f.buf) > 0 {
			f.started = true
			if f.buf[0] == 0 || f.buf[0] == 1 { // no JSON text starts with these bytes; a length prefix does
				return frame{}, false, &MismatchError{Mode: JSON, Peer: Advanced}
			}
		}
		i := bytes.IndexByte(f.buf[f.scanned:], '\n')
		if i >= 0 {
			i += f.scanned
		}
		if i < 0 {
			f.scanned = len(f.buf)
			if !f.skip && len(f.buf) > f.max {
				fr := frame{start: f.base, err: &nodejson.LimitError{Limit: "line length", Max: f.max, LineOffset: f.base}}
				f.skip = true
				f.consume(len(f.buf))
				f.scanned = 0
				return fr, true, nil
			}
			if f.skip {
				f.consume(len(f.buf))
				f.scanned = 0
			}
			f.compact()
			return frame{}, false, nil
		}
		start := f.base
		line := f.buf[:i]
		f.scanned = 0
		if f.skip {
			f.skip = false
			f.consume(i + 1)
			continue
		}
		if len(line) > f.max {
			f.consume(i + 1)
			return frame{start: start, err: &nodejson.LimitError{Limit: "line length", Max: f.max, LineOffset: start}}, true, nil
		}
		bun := len(line) > 0 && line[0] == bunInternalTag
		if bun {
			line = line[1:]
		}
		v, err := nodejson.Decode(line)
		f.consume(i + 1)
		if err != nil {
			if se, ok := err.(*nodejson.SyntaxError); ok {
				se.LineOffset = start
			}
			return frame{start: start, err: fmt.Errorf("nodeipc: bad JSON message at stream offset %d: %w", start, err)}, true, nil
		}
		return frame{start: start, value: v, bun: bun}, true, nil
	}
}

func (f *framer) nextFrame() (frame, bool, error) {
	if len(f.buf) < 4 {
		return frame{}, false, nil
	}
	first := !f.started
	if first {
		// Bun's advanced mode opens with a version packet 01 0N 00 00 00;
		// as a V8 frame that would be a length with a payload not
		// starting 0xFF. Only a header that could begin one waits for the
		// fifth byte.
		bunLike := f.buf[0] == 1 && f.buf[2] == 0 && f.buf[3] == 0
		if bunLike && len(f.buf) < 5 {
			return frame{}, false, nil
		}
		if bunLike && f.buf[4] == 0 {
			if f.detect { // Bun's version packet: a Bun peer
				f.switchTo(wireBun)
				return f.next()
			}
			f.started = true
			return frame{}, false, wrapf(&v8.BunAdvancedError{Version: f.buf[1]}, "the channel was opened with Runtime %q, but the peer speaks Bun's advanced mode (leave Runtime empty, or set it to %q)", Node, Bun)
		}
		f.started = true
	}
	n := binary.BigEndian.Uint32(f.buf)
	if n >= 1<<31 || int64(n) > int64(f.max) {
		err := &v8.FrameError{Length: n, Max: f.max, Err: v8.ErrFrameTooLarge}
		if first && looksLikeJSON(f.buf[:4]) {
			return frame{}, false, &MismatchError{Mode: Advanced, Peer: JSON, Err: err}
		}
		return frame{}, false, err
	}
	if n == 0 || (len(f.buf) > 4 && f.buf[4] != 0xFF) {
		return frame{}, false, &v8.FrameError{Length: n, Max: f.max, Err: v8.ErrFrameNotV8}
	}
	if len(f.buf) < 4+int(n) {
		f.compact()
		return frame{}, false, nil
	}
	start := f.base
	v, err := v8.Decode(f.buf[4 : 4+int(n)])
	f.consume(4 + int(n))
	if err != nil {
		return frame{start: start, err: fmt.Errorf("nodeipc: bad advanced message at stream offset %d: %w", start, err)}, true, nil
	}
	return frame{start: start, value: v}, true, nil
}

// looksLikeJSON reports whether the first bytes of a stream read as the
// start of a JSON line: printable text opening a JSON value.
func looksLikeJSON(b []byte) bool {
	if len(b) == 0 || !bytes.ContainsRune([]byte(`{["-0123456789tfn`), rune(b[0])) {
		return false
	}
	for _, c := range b {
		if c < 0x20 && c != '\n' && c != '\t' && c != '\r' || c >= 0x7f {
			return false
		}
	}
	return true
}
