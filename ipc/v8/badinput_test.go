package v8

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestDecodeErrors(t *testing.T) {
	deep := bytes.Repeat([]byte{'A', 1}, DefaultMaxDepth+1)
	cases := []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, ErrTruncated},
		{"no header", []byte{'T'}, ErrBadHeader},
		{"version 12", []byte{0xFF, 12, 'T'}, ErrVersion},
		{"version 16", []byte{0xFF, 16, 'T'}, ErrVersion},
		{"header only", []byte{0xFF, 15}, ErrTruncated},
		{"padding only", []byte{0xFF, 15, 0, 0}, ErrTruncated},
		{"unknown tag", []byte{0xFF, 15, 'X'}, ErrUnknownTag},
		{"legacy blob tag", []byte{0xFF, 15, 'b'}, ErrUnknownTag},
		{"shared array buffer", []byte{0xFF, 15, 'u', 0}, ErrNotPortable},
		{"transferred array buffer", []byte{0xFF, 15, 't', 0}, ErrNotPortable},
		{"shared object", []byte{0xFF, 15, 'p', 0}, ErrNotPortable},
		{"wasm module", []byte{0xFF, 15, 'w', 0}, ErrNotPortable},
		{"wasm memory", []byte{0xFF, 15, 'm', 0}, ErrNotPortable},
		{"reference before any object", []byte{0xFF, 15, '^', 0}, ErrBadReference},
		{"forward reference", []byte{0xFF, 15, 'o', '"', 1, 'a', '^', 1, '{', 1}, ErrBadReference},
		{"reference into a host object", []byte{0xFF, 15, '\\', 1, '^', 0}, ErrBadReference},
		{"string longer than input", []byte{0xFF, 15, '"', 0xFF, 0xFF, 0xFF, 0x0F, 'a'}, ErrLength},
		{"array longer than input", []byte{0xFF, 15, 'A', 0xFF, 0xFF, 0xFF, 0x0F}, ErrLength},
		{"buffer longer than input", []byte{0xFF, 15, '\\', 0, 10, 0x80, 0x80, 0x80, 0x08}, ErrLength},
		{"array buffer longer than input", []byte{0xFF, 15, 'B', 0x80, 0x80, 0x80, 0x08}, ErrLength},
		{"bigint longer than input", []byte{0xFF, 15, 'Z', 0xFE, 0xFF, 0xFF, 0x0F}, ErrLength},
		{"varint over 32 bits", []byte{0xFF, 15, 'I', 0xFF, 0xFF, 0xFF, 0xFF, 0x7F}, ErrMalformed},
		{"invalid UTF-8", []byte{0xFF, 15, 'S', 2, 0xC3, 0x28}, ErrInvalidUTF8},
		{"odd two-byte string", []byte{0xFF, 15, 'c', 3, 'a', 0, 'b'}, ErrMalformed},
		{"wrong property count", []byte{0xFF, 15, 'o', '"', 1, 'a', 'T', '{', 2}, ErrMalformed},
		{"object key not string", []byte{0xFF, 15, 'o', 'T', 'T', '{', 1}, ErrMalformed},
		{"dense length mismatch", []byte{0xFF, 15, 'A', 1, 'T', '$', 0, 2}, ErrMalformed},
		{"hole at top", []byte{0xFF, 15, '-'}, ErrMalformed},
		{"bad regexp flags", []byte{0xFF, 15, 'R', '"', 1, 'a', 0x80, 0x04}, ErrMalformed},
		{"bad error sub-tag", []byte{0xFF, 15, 'r', 'Q'}, ErrMalformed},
		{"bad host sub-tag", []byte{0xFF, 15, '\\', 2}, ErrMalformed},
		{"bad view type index", []byte{0xFF, 15, '\\', 0, 13, 0}, ErrMalformed},
		{"typed array of odd length", []byte{0xFF, 15, '\\', 0, 4, 3, 1, 2, 3}, ErrMalformed},
		{"resizable beyond max", []byte{0xFF, 15, '~', 2, 1, 0, 0}, ErrMalformed},
		{"trailing data", []byte{0xFF, 15, 'T', 'T'}, ErrTrailingData},
		{"too deep", append([]byte{0xFF, 15}, deep...), ErrTooDeep},
		{"truncated object", []byte{0xFF, 15, 'o', '"', 1, 'a'}, ErrTruncated},
		{"truncated double", []byte{0xFF, 15, 'N', 0, 0}, ErrTruncated},
	}
	for _, c := range cases {
		_, err := Decode(c.data)
		var de *DecodeError
		if !errors.As(err, &de) || !errors.Is(err, c.want) {
			t.Errorf("%s: Decode(% x) = %v, want a *DecodeError wrapping %v", c.name, c.data, err, c.want)
		}
	}
}

// Every prefix of every vector is an error (never a panic), and padding
// inserted before any tag changes nothing.
func TestTruncatedVectors(t *testing.T) {
	for _, v := range loadVectors(t) {
		for i := range len(v.data) {
			if _, err := Decode(v.data[:i]); err == nil {
				t.Errorf("%s: prefix of %d bytes decoded without error", v.expr, i)
			}
		}
	}
}

func TestReadsOlderVersions(t *testing.T) {
	for _, ver := range []byte{13, 14} {
		got, err := Decode([]byte{0xFF, ver, 'o', '"', 1, 'a', 'I', 2, '{', 1})
		if err != nil {
			t.Fatalf("version %d: %v", ver, err)
		}
		if b, _ := Marshal(got); !bytes.Equal(b, []byte{0xFF, 15, 'o', '"', 1, 'a', 'I', 2, '{', 1}) {
			t.Errorf("version %d: re-encoded % x", ver, b)
		}
	}
	// V8's own view form ('V' after an ArrayBuffer), with and without flags.
	v, err := Decode([]byte{0xFF, 13, 'B', 4, 1, 2, 3, 4, 'V', 'W', 2, 2})
	if err != nil || !strings.Contains(typeName(v), "TypedArray") {
		t.Errorf("version 13 view: %v %v", v, err)
	}
	if _, err := Decode([]byte{0xFF, 14, 'B', 4, 1, 2, 3, 4, 'V', 'W', 2, 2, 0}); err != nil {
		t.Errorf("version 14 view: %v", err)
	}
	// Padding anywhere a tag is read; 'U' and 'S' on read; '?' verify count.
	for _, data := range [][]byte{
		{0xFF, 15, 0, 0, 'o', 0, '"', 1, 'a', 0, 'I', 2, 0, '{', 1},
		{0xFF, 15, 'o', 'S', 1, 'a', 'U', 1, '{', 1},
		{0xFF, 15, '?', 5, 'o', '"', 1, 'a', 'I', 2, '{', 1},
	} {
		got, err := Decode(data)
		if err != nil {
			t.Errorf("% x: %v", data, err)
			continue
		}
		if b, _ := Marshal(got); !bytes.Equal(b, []byte{0xFF, 15, 'o', '"', 1, 'a', 'I', 2, '{', 1}) {
			t.Errorf("% x: re-encoded % x", data, b)
		}
	}
}

func typeName(v any) string {
	if v == nil {
		return "nil"
	}
	return strings.TrimPrefix(strings.TrimPrefix(fmtType(v), "*"), "jsvalue.")
}

func fmtType(v any) string { return fmt.Sprintf("%T", v) }
