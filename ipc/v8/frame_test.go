package v8

import (
	"bytes"
	"errors"
	"io"
	"math/rand"
	"testing"
	"testing/iotest"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

// chunkReader returns its data in pieces of random size (at least one byte).
type chunkReader struct {
	data []byte
	r    *rand.Rand
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	n := 1 + c.r.Intn(min(len(p), len(c.data), 7))
	n = copy(p, c.data[:n])
	c.data = c.data[n:]
	return n, nil
}

func TestFrameRoundTripSplitReads(t *testing.T) {
	var stream bytes.Buffer
	enc := NewEncoder(&stream)
	big := bytes.Repeat([]byte{7}, 200<<10) // larger than the read-ahead buffer
	values := []any{"hi", 1.0, jsvalue.NewObject("ab", "€"), big, []any{1.0, "x"}}
	for _, v := range values {
		if err := enc.Encode(v); err != nil {
			t.Fatal(err)
		}
	}
	if got := stream.Bytes()[:10]; !bytes.Equal(got, []byte{0, 0, 0, 6, 0xFF, 0x0F, '"', 2, 'h', 'i'}) {
		t.Fatalf("first frame % x", got)
	}
	for _, r := range []io.Reader{
		bytes.NewReader(stream.Bytes()),
		iotest.OneByteReader(bytes.NewReader(stream.Bytes())),
		&chunkReader{stream.Bytes(), rand.New(rand.NewSource(1))},
		iotest.DataErrReader(bytes.NewReader(stream.Bytes())),
	} {
		dec := NewDecoder(r)
		for i, want := range values {
			var got any
			if err := dec.Decode(&got); err != nil {
				t.Fatalf("message %d: %v", i, err)
			}
			wb, _ := Marshal(want)
			gb, _ := Marshal(got)
			if !bytes.Equal(wb, gb) {
				t.Fatalf("message %d differs", i)
			}
		}
		if err := dec.Decode(new(any)); err != io.EOF {
			t.Fatalf("at the end: %v, want io.EOF", err)
		}
	}
}

func TestFrameErrors(t *testing.T) {
	cases := []struct {
		name  string
		data  []byte
		max   int
		check func(error) bool
	}{
		{"cut in prefix", []byte{0, 0}, 0, func(err error) bool { return err == io.ErrUnexpectedEOF }},
		{"cut in payload", []byte{0, 0, 0, 3, 0xFF, 15}, 0, func(err error) bool { return err == io.ErrUnexpectedEOF }},
		{"2^31", []byte{0x80, 0, 0, 0, 0xFF}, 0, func(err error) bool { return errors.Is(err, ErrFrameTooLarge) }},
		{"over the limit", []byte{0, 0, 4, 1, 0xFF}, 1024, func(err error) bool { return errors.Is(err, ErrFrameTooLarge) }},
		{"over the default limit", []byte{0x04, 0, 0, 1, 0xFF}, 0, func(err error) bool { return errors.Is(err, ErrFrameTooLarge) }},
		{"not V8", []byte{0, 0, 0, 2, '{', '}'}, 0, func(err error) bool { return errors.Is(err, ErrFrameNotV8) }},
		{"empty message", []byte{0, 0, 0, 0}, 0, func(err error) bool { return errors.Is(err, ErrFrameNotV8) }},
		{"bun v1", []byte{1, 1, 0, 0, 0, 2, 0x24, 0, 0, 0}, 0, func(err error) bool {
			var b *BunAdvancedError
			return errors.As(err, &b) && b.Version == 1
		}},
		{"bun v2", []byte{1, 2, 0, 0, 0}, 16, func(err error) bool {
			var b *BunAdvancedError
			return errors.As(err, &b) && b.Version == 2
		}},
	}
	for _, c := range cases {
		dec := NewDecoder(bytes.NewReader(c.data))
		dec.MaxMessageSize = c.max
		_, err := dec.ReadMessage()
		if !c.check(err) {
			t.Errorf("%s: %v", c.name, err)
		}
		if _, again := dec.ReadMessage(); again != err {
			t.Errorf("%s: error not sticky: %v then %v", c.name, err, again)
		}
		if err != nil {
			t.Logf("%s: %v", c.name, err)
		}
	}
}

// A message that is framed well but does not decode is reported, and the
// next message still reads.
func TestFrameBadPayloadKeepsStream(t *testing.T) {
	data := []byte{0, 0, 0, 3, 0xFF, 15, 'X', 0, 0, 0, 3, 0xFF, 15, 'T'}
	dec := NewDecoder(bytes.NewReader(data))
	var v any
	if err := dec.Decode(&v); !errors.Is(err, ErrUnknownTag) {
		t.Fatalf("first: %v", err)
	}
	if err := dec.Decode(&v); err != nil || v != true {
		t.Fatalf("second: %v %v", v, err)
	}
}
