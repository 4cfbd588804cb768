package v8

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math/rand"
	"testing"
)

// FuzzDecode: any input decodes or fails with a *DecodeError, the aliasing
// decode agrees with the copying one, and whatever decodes encodes and
// decodes again to the same bytes.
func FuzzDecode(f *testing.F) {
	for _, v := range loadVectors(f) {
		f.Add(v.data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := Decode(data)
		va, erra := DecodeOptions{AliasInput: true}.Decode(data)
		if (err == nil) != (erra == nil) || err != nil && err.Error() != erra.Error() {
			t.Fatalf("copying decode: %v; aliasing decode: %v", err, erra)
		}
		if err != nil {
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		b, err := Marshal(v)
		ba, erra := Marshal(va)
		if (err == nil) != (erra == nil) || !bytes.Equal(b, ba) {
			t.Fatalf("copying and aliasing decodes encode differently: %v, %v\n% x\n% x", err, erra, b, ba)
		}
		if err != nil {
			return // e.g. a decoded sparse array the encoder refuses
		}
		v2, err := Decode(b)
		if err != nil {
			t.Fatalf("re-encoded value does not decode: %v\n% x", err, b)
		}
		b2, err := Marshal(v2)
		if err != nil || !bytes.Equal(b, b2) {
			t.Fatalf("second round trip differs: %v\n% x\n% x", err, b, b2)
		}
	})
}

// FuzzFrames: any byte stream, read in pieces of any size, gives messages or
// an error, never a panic or a hang, and allocates no more than the limit.
func FuzzFrames(f *testing.F) {
	for _, v := range loadVectors(f) {
		frame := binary.BigEndian.AppendUint32(nil, uint32(len(v.data)))
		f.Add(append(frame, v.data...), int64(1))
	}
	f.Add([]byte{1, 2, 0, 0, 0}, int64(2))
	f.Add([]byte{0x80, 0, 0, 0, 0xFF}, int64(3))
	f.Fuzz(func(t *testing.T, data []byte, seed int64) {
		dec := NewDecoder(&chunkReader{data, rand.New(rand.NewSource(seed))})
		dec.MaxMessageSize = 1 << 16
		for range 1000 {
			p, err := dec.ReadMessage()
			if err != nil {
				if err == io.EOF && len(data) > 0 && len(p) > 0 {
					t.Fatal("EOF with data")
				}
				return
			}
			if len(p) > dec.MaxMessageSize {
				t.Fatalf("message of %d bytes over the limit", len(p))
			}
			_, _ = Decode(p)
		}
	})
}
