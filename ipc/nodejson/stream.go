package nodejson

import (
	"bytes"
	"errors"
	"io"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

// DefaultMaxLineLength is the default limit on the length of one message line
// a Decoder accepts: 64 MiB.
const DefaultMaxLineLength = 64 << 20

// ErrIncomplete is returned by a Decoder without a reader when the bytes
// written to it hold no complete line yet.
var ErrIncomplete = errors.New("nodejson: no complete line buffered")

// Encoder writes messages in Node's `json` IPC framing: each value as
// JSON.stringify writes it, followed by "\n", in one Write.
type Encoder struct {
	w   io.Writer
	buf []byte
}

// NewEncoder returns an Encoder writing to w.
func NewEncoder(w io.Writer) *Encoder { return &Encoder{w: w} }

// Encode writes v and a newline. Nothing is written if v cannot be encoded.
func (e *Encoder) Encode(v any) error {
	b, err := AppendMarshal(e.buf[:0], v)
	if err != nil {
		return err
	}
	b = append(b, '\n')
	if cap(b) <= 1<<20 {
		e.buf = b[:0]
	}
	_, err = e.w.Write(b)
	return err
}

// Decoder reads messages in Node's `json` IPC framing: lines ending in "\n",
// each one JSON text. Lines may arrive split anywhere, also inside a UTF-8
// sequence. A line that does not parse gives a *SyntaxError (with its line
// number and stream offset) and the next Decode goes on with the next line;
// an empty line is such an error too, as JSON.parse("") throws. A line longer
// than the maximum line length gives a *LimitError as soon as that many bytes
// are buffered without a newline; the rest of the line is then skipped.
//
// The bytes come either from a reader (NewDecoder(r)) or from Write
// (NewDecoder(nil)), for a caller that receives data in callbacks; then
// Decode returns ErrIncomplete when no complete line is buffered.
//
// A Decoder is not safe for concurrent use.
type Decoder struct {
	r        io.Reader
	buf      []byte // buffered bytes: buf[start:] not consumed yet
	start    int
	scanned  int // buf[start:scanned] holds no newline
	skipping bool
	eof      error

	maxLine  int
	maxDepth int
	line     int64 // lines consumed
	offset   int64 // stream offset of buf[start]
}

// NewDecoder returns a Decoder reading from r, or, when r is nil, from the
// bytes given to Write.
func NewDecoder(r io.Reader) *Decoder {
	return &Decoder{r: r, maxLine: DefaultMaxLineLength, maxDepth: DefaultMaxDepth}
}

// SetMaxLineLength sets the longest line accepted, in bytes, without its
// newline (DefaultMaxLineLength unless set).
func (d *Decoder) SetMaxLineLength(n int) { d.maxLine = n }

// SetMaxDepth sets the deepest nesting of arrays and objects accepted
// (DefaultMaxDepth unless set).
func (d *Decoder) SetMaxDepth(n int) { d.maxDepth = n }

// Write buffers p for Decode. It never fails.
func (d *Decoder) Write(p []byte) (int, error) {
	d.compact()
	d.buf = append(d.buf, p...)
	return len(p), nil
}

// Decode reads the next message and stores it in v as Unmarshal does; a *any
// receives the model value. At the end of the stream it returns io.EOF, or
// io.ErrUnexpectedEOF when a partial line is left.
func (d *Decoder) Decode(v any) error {
	m, err := d.DecodeValue()
	if err != nil {
		return err
	}
	return jsvalue.Assign(m, v)
}

// DecodeValue reads the next message and returns it as Decode (the function)
// does.
func (d *Decoder) DecodeValue() (any, error) {
	line, lineNo, lineOff, err := d.nextLine()
	if err != nil {
		return nil, err
	}
	p := getParser(line, d.maxDepth)
	var v any
	if len(line) == 0 {
		err = p.fail("Unexpected end of JSON input")
	} else {
		v, err = p.parse()
	}
	putParser(p)
	switch e := err.(type) {
	case *SyntaxError:
		e.Line, e.LineOffset = lineNo, lineOff
	case *LimitError:
		e.Line, e.LineOffset = lineNo, lineOff
	}
	return v, err
}

// nextLine returns the next complete line (without its newline), its number
// and its stream offset. The line aliases the buffer until the next call.
func (d *Decoder) nextLine() ([]byte, int64, int64, error) {
	for {
		if i := bytes.IndexByte(d.buf[d.scanned:], '\n'); i >= 0 {
			end := d.scanned + i
			line := d.buf[d.start:end]
			off := d.offset
			d.offset += int64(end + 1 - d.start)
			d.start, d.scanned = end+1, end+1
			d.line++
			if d.skipping {
				d.skipping = false
				continue
			}
			return line, d.line, off, nil
		}
		d.scanned = len(d.buf)
		if pending := len(d.buf) - d.start; pending > d.maxLine || d.skipping {
			d.offset += int64(pending)
			d.start, d.scanned = len(d.buf), len(d.buf)
			if !d.skipping {
				d.skipping = true
				return nil, 0, 0, &LimitError{Limit: "line length", Max: d.maxLine, Line: d.line + 1,
					LineOffset: d.offset - int64(pending)}
			}
		}
		if err := d.fill(); err != nil {
			return nil, 0, 0, err
		}
	}
}

// fill reads more bytes, never more than the line limit allows to be
// buffered for the current line.
func (d *Decoder) fill() error {
	if d.r == nil {
		return ErrIncomplete
	}
	if d.eof != nil {
		return d.endErr()
	}
	d.compact()
	want := 64 << 10
	if room := d.maxLine + 1 - (len(d.buf) - d.start); room < want && !d.skipping {
		want = max(room, 1)
	}
	if cap(d.buf)-len(d.buf) < want {
		nb := make([]byte, len(d.buf), len(d.buf)+max(want, len(d.buf)))
		copy(nb, d.buf)
		d.buf = nb
	}
	n, err := d.r.Read(d.buf[len(d.buf) : len(d.buf)+want])
	d.buf = d.buf[:len(d.buf)+n]
	if err != nil {
		d.eof = err
		if n == 0 {
			return d.endErr()
		}
	}
	return nil
}

func (d *Decoder) endErr() error {
	if d.eof == io.EOF && len(d.buf) > d.start && !d.skipping {
		return io.ErrUnexpectedEOF
	}
	return d.eof
}

// compact moves unconsumed bytes to the front of the buffer.
func (d *Decoder) compact() {
	if d.start == 0 {
		return
	}
	n := copy(d.buf, d.buf[d.start:])
	d.buf = d.buf[:n]
	d.scanned -= d.start
	d.start = 0
}
