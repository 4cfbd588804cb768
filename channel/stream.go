package channel

import (
	"context"
	"fmt"
	"io"
	"iter"
)

// All returns an iterator over the values read from the port, for a range
// loop: it ends at the other end's end, when ctx is done, or when the port
// closes (Read tells these apart). Breaking out of the loop leaves the port
// open.
func (p *Port) All(ctx context.Context) iter.Seq[any] {
	return func(yield func(any) bool) {
		for {
			v, err := p.Read(ctx)
			if err != nil || !yield(v) {
				return
			}
		}
	}
}

// Reader returns the port as a byte stream: the concatenation of the values
// it reads, each of which must be a []byte or a string (anything else is an
// error), ending with io.EOF at the other end's end. It is bare-channel's
// createReadStream for bytes.
func (p *Port) Reader() io.Reader { return &reader{p: p} }

type reader struct {
	p    *Port
	rest []byte
}

func (r *reader) Read(b []byte) (int, error) {
	for len(r.rest) == 0 {
		v, err := r.p.Read(context.Background())
		if err != nil {
			return 0, err
		}
		switch v := v.(type) {
		case []byte:
			r.rest = v
		case string:
			r.rest = []byte(v)
		default:
			return 0, fmt.Errorf("channel: a %T in a byte stream", v)
		}
	}
	n := copy(b, r.rest)
	r.rest = r.rest[n:]
	return n, nil
}

// Writer returns the port as a byte stream: each Write sends a copy of its
// bytes as one []byte value, and Close closes the port (the other end reads
// io.EOF after the bytes). It is bare-channel's createWriteStream.
func (p *Port) Writer() io.WriteCloser { return writer{p} }

type writer struct{ p *Port }

func (w writer) Write(b []byte) (int, error) {
	if err := w.p.Write(context.Background(), append([]byte(nil), b...)); err != nil {
		return 0, err
	}
	return len(b), nil
}

func (w writer) Close() error { return w.p.Close() }

// Stream returns the port as a duplex byte stream, bare-channel's
// createStream: Read is Reader's, Write is Writer's (each Write sends a copy
// of its bytes as one value), and Close closes the port, so the other end
// reads io.EOF after the bytes. A channel end is whole: there is no
// CloseWrite that would leave the reading side open.
func (p *Port) Stream() io.ReadWriteCloser {
	return &duplex{reader: reader{p: p}, writer: writer{p}}
}

type duplex struct {
	reader
	writer
}

func (d *duplex) Read(b []byte) (int, error)  { return d.reader.Read(b) }
func (d *duplex) Write(b []byte) (int, error) { return d.writer.Write(b) }
func (d *duplex) Close() error                { return d.writer.Close() }
