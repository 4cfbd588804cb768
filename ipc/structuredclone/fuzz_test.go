package structuredclone

import (
	"bytes"
	"errors"
	"testing"
)

func fuzzDecode(f *testing.F, version Version) {
	for _, v := range loadVectors(f, version) {
		f.Add(v.data)
		f.Add(v.data[:len(v.data)-1])
		if len(v.data) > 4 {
			plain := append([]byte{v.data[0], v.data[1]}, v.data[4:]...)
			f.Add(plain)
		}
	}
	d := Decoder{MaxSize: 1 << 20}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := d.Decode(data)
		if err != nil {
			var se *SyntaxError
			var np *NotPortableError
			if !errors.As(err, &se) && !errors.As(err, &np) {
				t.Fatalf("untyped error %T: %v", err, err)
			}
			return
		}
		// What decodes re-encodes, in its own version, to bytes that decode to
		// the same value and re-encode to themselves.
		e := Encoder{Version: Version(data[0])}
		b, err := e.Marshal(v)
		if err != nil {
			var ue *UnsupportedValueError
			if errors.As(err, &ue) {
				return // an invalid Date in version 0 and the like
			}
			t.Fatalf("Marshal(decoded): %v", err)
		}
		v2, err := d.Decode(b)
		if err != nil {
			t.Fatalf("Decode(re-encoded %x): %v", b, err)
		}
		if !sameModel(v, v2) {
			t.Fatalf("re-encoded value differs: %#v vs %#v", v, v2)
		}
		b2, err := e.Marshal(v2)
		if err != nil || !bytes.Equal(b, b2) {
			t.Fatalf("not a fixed point: %x vs %x (%v)", b, b2, err)
		}
	})
}

// FuzzDecodeV0 decodes arbitrary bytes, seeded with the version 0 vectors.
func FuzzDecodeV0(f *testing.F) { fuzzDecode(f, Version0) }

// FuzzDecodeV1 decodes arbitrary bytes, seeded with the version 1 vectors.
func FuzzDecodeV1(f *testing.F) { fuzzDecode(f, Version1) }
