package v8

import (
	"bytes"
	"io"
	"math/rand"
	"testing"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

// aliasMessage is a message holding every kind of byte value: a Buffer, a
// typed array, an ArrayBuffer, V8's own view form over an ArrayBuffer, and
// an empty Buffer.
func aliasMessage(t *testing.T) []byte {
	t.Helper()
	p, err := Marshal(jsvalue.NewObject(
		"buf", []byte("buffer bytes"),
		"u16", jsvalue.TypedArray{Kind: jsvalue.KindUint16, Data: []byte{1, 2, 3, 4}},
		"ab", jsvalue.ArrayBuffer("array buffer"),
		"empty", []byte{},
	))
	if err != nil {
		t.Fatal(err)
	}
	// V8's 'V' form: an ArrayBuffer of 4 bytes and a Uint8Array over its
	// last two (offset 2, length 2, flags 0).
	view := []byte{0xFF, 0x0F, 'B', 4, 9, 8, 7, 6, 'V', 'B', 2, 2, 0}
	return append(p[:len(p):len(p)], view...) // second message, split below
}

// byteValues returns the byte values of a decoded aliasMessage, in order.
func byteValues(t *testing.T, v, view any) [][]byte {
	t.Helper()
	o, ok := v.(*jsvalue.Object)
	if !ok {
		t.Fatalf("decoded %T", v)
	}
	buf, _ := o.Get("buf")
	u16, _ := o.Get("u16")
	ab, _ := o.Get("ab")
	empty, _ := o.Get("empty")
	tv, ok := view.(jsvalue.TypedArray)
	if !ok {
		t.Fatalf("view decoded as %T", view)
	}
	return [][]byte{buf.([]byte), u16.(jsvalue.TypedArray).Data, []byte(ab.(jsvalue.ArrayBuffer)), empty.([]byte), tv.Data}
}

// decodeAliasMessage decodes the two payloads of aliasMessage with decode
// and returns their byte values.
func decodeAliasMessage(t *testing.T, data []byte, decode func([]byte) (any, error)) [][]byte {
	t.Helper()
	split := len(data) - 13
	v, err := decode(data[:split])
	if err != nil {
		t.Fatal(err)
	}
	view, err := decode(data[split:])
	if err != nil {
		t.Fatal(err)
	}
	return byteValues(t, v, view)
}

var wantBytes = [][]byte{[]byte("buffer bytes"), {1, 2, 3, 4}, []byte("array buffer"), {}, {7, 6}}

func scribble(p []byte) {
	for i := range p {
		p[i] = 0xEE
	}
}

func TestDecodeCopiesByDefault(t *testing.T) {
	decoders := map[string]func([]byte) (any, error){
		"Decode":         Decode,
		"zero options":   DecodeOptions{}.Decode,
		"Unmarshal":      func(p []byte) (v any, err error) { err = Unmarshal(p, &v); return },
		"zero Unmarshal": func(p []byte) (v any, err error) { err = DecodeOptions{}.Unmarshal(p, &v); return },
	}
	for name, decode := range decoders {
		data := aliasMessage(t)
		got := decodeAliasMessage(t, data, decode)
		scribble(data)
		for i := range got {
			if !bytes.Equal(got[i], wantBytes[i]) {
				t.Errorf("%s: value %d is % x after the input changed, want % x", name, i, got[i], wantBytes[i])
			}
		}
	}
}

func TestDecodeAliasInput(t *testing.T) {
	decoders := map[string]func([]byte) (any, error){
		"Decode":    DecodeOptions{AliasInput: true}.Decode,
		"Unmarshal": func(p []byte) (v any, err error) { err = DecodeOptions{AliasInput: true}.Unmarshal(p, &v); return },
	}
	for name, decode := range decoders {
		data := aliasMessage(t)
		got := decodeAliasMessage(t, data, decode)
		for i := range got {
			if !bytes.Equal(got[i], wantBytes[i]) {
				t.Fatalf("%s: value %d is % x, want % x", name, i, got[i], wantBytes[i])
			}
		}
		if cap(got[0]) != len(got[0]) {
			t.Errorf("%s: aliased Buffer has capacity %d beyond its length %d", name, cap(got[0]), len(got[0]))
		}
		if cap(got[3]) == 0 {
			t.Errorf("%s: empty Buffer has no identity (capacity 0)", name)
		}
		scribble(data)
		for i, g := range got {
			if len(g) > 0 && !bytes.Equal(g, bytes.Repeat([]byte{0xEE}, len(g))) {
				t.Errorf("%s: value %d is % x after the input changed: not aliased", name, i, g)
			}
		}
	}
}

// recordingReader remembers the slices it was asked to fill.
type recordingReader struct {
	r     io.Reader
	reads [][]byte
}

func (r *recordingReader) Read(p []byte) (int, error) {
	r.reads = append(r.reads, p)
	return r.r.Read(p)
}

func frames(t *testing.T, values ...any) []byte {
	t.Helper()
	var stream bytes.Buffer
	enc := NewEncoder(&stream)
	for _, v := range values {
		if err := enc.Encode(v); err != nil {
			t.Fatal(err)
		}
	}
	return stream.Bytes()
}

// The stream Decoder aliases the byte values of a message larger than its
// read-ahead buffer into the memory it read that message into.
func TestDecoderAliasesLargeMessages(t *testing.T) {
	big := bytes.Repeat([]byte{1}, 3*readAhead)
	rr := &recordingReader{r: bytes.NewReader(frames(t, big))}
	dec := NewDecoder(rr)
	var got any
	if err := dec.Decode(&got); err != nil {
		t.Fatal(err)
	}
	b := got.([]byte)
	if !bytes.Equal(b, big) {
		t.Fatal("decoded Buffer differs")
	}
	for _, p := range rr.reads {
		if len(p) > readAhead { // the message buffer, not the read-ahead one
			scribble(p)
		}
	}
	if b[len(b)-1] != 0xEE {
		t.Fatal("the Buffer of a large message is a copy, not a view into the message")
	}
}

// Aliased values stay intact while later messages, large and small, are
// read: a message buffer that was aliased is never reused.
func TestDecoderAliasedMessagesStayIntact(t *testing.T) {
	n := 2 * readAhead
	fill := func(c byte) []byte { return bytes.Repeat([]byte{c}, n) }
	values := []any{
		fill(1),
		jsvalue.NewObject("u8", jsvalue.TypedArray{Kind: jsvalue.KindUint8, Data: fill(2)}, "ab", jsvalue.ArrayBuffer(fill(3))),
		string(fill('x')), // large, nothing to alias: its buffer may be reused
		fill(4),
		[]byte{5, 5, 5}, // small: read-ahead buffer, copied
		fill(6),
		[]byte{7, 7, 7},
		[]byte{8, 8, 8},
	}
	for _, r := range []io.Reader{
		bytes.NewReader(frames(t, values...)),
		&chunkReader{frames(t, values...), rand.New(rand.NewSource(2))},
	} {
		dec := NewDecoder(r)
		var got []any
		for i := range values {
			var v any
			if err := dec.Decode(&v); err != nil {
				t.Fatalf("message %d: %v", i, err)
			}
			got = append(got, v)
		}
		for i := range values {
			wb, _ := Marshal(values[i])
			gb, _ := Marshal(got[i])
			if !bytes.Equal(wb, gb) {
				t.Errorf("message %d changed after later messages were read", i)
			}
		}
	}
}
