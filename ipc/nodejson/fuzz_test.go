package nodejson

import (
	"strings"
	"testing"
)

// FuzzDecode feeds arbitrary bytes to Decode and to a Decoder: never a
// panic, the same result with and without the number-array fast path, and
// whatever decodes re-encodes, decodes again to the same bytes.
func FuzzDecode(f *testing.F) {
	for _, s := range parseInputs {
		f.Add([]byte(s))
	}
	for _, s := range []string{
		`{"a":[1,2,{"b":null}],"c":"\u2028\ud800"}`, `{"type":"Buffer","data":[1,2,3]}`, `1e21`, `-0`,
		`"\ud83d\ude00"`, strings.Repeat("[", 50), `{"0":1,"4294967295":2}`, "1\n2\n", "\n", "{\"a\":\n1}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sameDecode(t, data)
		v, err := Decode(data)
		if err == nil {
			out, err := Marshal(v)
			if err != nil {
				t.Fatalf("Marshal of a decoded value: %v", err)
			}
			v2, err := Decode(out)
			if err != nil {
				t.Fatalf("Decode of %q: %v", out, err)
			}
			out2, err := Marshal(v2)
			if err != nil || string(out2) != string(out) {
				t.Fatalf("not stable: %q then %q (%v)", out, out2, err)
			}
		}
		dec := NewDecoder(nil)
		dec.SetMaxLineLength(64)
		dec.SetMaxDepth(8)
		half := len(data) / 2
		_, _ = dec.Write(data[:half])
		for range 2 * len(data) {
			if _, err := dec.DecodeValue(); err == ErrIncomplete {
				break
			}
		}
		_, _ = dec.Write(data[half:])
		for range 2*len(data) + 1 {
			if _, err := dec.DecodeValue(); err == ErrIncomplete {
				break
			}
		}
	})
}
