package jsc

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzDecode: any input decodes or fails with a *DecodeError, never a panic;
// whatever decodes either is refused by Marshal with an *EncodeError or
// encodes to bytes that decode again and encode to the same bytes.
func FuzzDecode(f *testing.F) {
	for _, v := range loadVectors(f) {
		f.Add(v.data)
	}
	for _, c := range badInputs {
		f.Add(c.data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d := Decoder{MaxDepth: 64}
		v, err := d.Decode(data)
		if err != nil {
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		b, err := Marshal(v)
		if err != nil {
			var ee *EncodeError
			if !errors.As(err, &ee) {
				t.Fatalf("encode error of type %T: %v", err, err)
			}
			return
		}
		v2, err := d.Decode(b)
		if err != nil {
			t.Fatalf("re-encoded value does not decode: %v\n% x", err, b)
		}
		b2, err := Marshal(v2)
		if err != nil || !bytes.Equal(b, b2) {
			t.Fatalf("second round trip differs: %v\n% x\n% x", err, b, b2)
		}
	})
}
