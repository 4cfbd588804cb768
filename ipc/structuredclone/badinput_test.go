package structuredclone

import (
	"encoding/hex"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	require.NoError(t, err)
	return b
}

func TestBadInput(t *testing.T) {
	cases := []struct {
		name string
		hex  string
		want error
	}{
		{"empty", "", ErrTruncated},
		{"header only", "00 00", ErrTruncated},
		{"version 2", "02 00 00", ErrVersion},
		{"truncated number", "00 00 04 00 00", ErrTruncated},
		{"truncated uint", "00 00 06 fd 01", ErrTruncated},
		{"string past the end", "00 00 06 05 61", ErrTruncated},
		{"huge string length", "00 00 06 ff ff ff ff ff ff ff ff 7f", ErrTruncated},
		{"unknown tag v0", "00 00 1b", ErrUnknownTag},
		{"unknown tag v1", "01 00 1c", ErrUnknownTag},
		{"trailing data", "00 00 00 00", ErrTrailingData},
		{"reference to unknown id", "00 00 14 05", ErrBadReference},
		{"v1 duplicate id", "01 00 13 01 02 01 14 01 00 14 01 00 00", ErrBadReference},
		{"v1 unknown name reference", "01 00 14 01 01 03 00 00", ErrBadReference},
		{"v1 unknown key kind", "01 00 14 01 01 09 00 00", ErrUnknownTag},
		{"v1 unknown layout", "01 00 13 01 00 07", ErrUnknownTag},
		{"count above 0x100000", "00 00 13 01 fe 01 00 10 00", ErrTooBig},
		{"count beyond the input", "00 00 13 01 fd ff 00", ErrTruncated},
		{"invalid utf-8", "00 00 06 02 c3 28", ErrInvalidUTF8},
		{"surrogate in utf-8", "00 00 06 03 ed a0 80", ErrInvalidUTF8},
		{"unknown view", "00 00 0e 01 0d 0a 02 00 00 00 00", ErrUnknownTag},
		{"view past its buffer", "00 00 0e 01 01 0a 02 02 01 02 00 03 03", ErrInvalidValue},
		{"misaligned view", "00 00 0e 01 04 0a 02 04 01 02 03 04 01 02 01", ErrInvalidValue},
		{"view over a non-buffer", "00 00 0e 01 01 13 02 00 00 00 00", ErrBadReference},
		{"array length above 2^32-1", "00 00 12 01 ff 00 00 00 00 01 00 00 00 00", ErrInvalidValue},
		{"v1 dense length beyond the input", "01 00 13 01 fe ff ff ff 00 01", ErrTruncated},
		{"bigint limbs beyond the input", "00 00 05 05 01", ErrTruncated},
		{"nested TRANSFER", "00 00 12 01 01 01 01 30 15 00 00", ErrInvalidValue},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Decode(mustHex(t, c.hex))
			require.Error(t, err)
			assert.ErrorIs(t, err, c.want)
			var se *SyntaxError
			assert.ErrorAs(t, err, &se)
		})
	}
}

func TestNotPortable(t *testing.T) {
	cases := map[string]string{
		"SharedArrayBuffer v0":         "00 00 0c 01 08 00 00 00 00 00 00 00 00",
		"growable SharedArrayBuffer":   "00 00 0d 01 08 00 00 00 00 00 00 00 00 10",
		"external":                     "00 00 18 08 00 00 00 00 00 00 00 00",
		"serializable":                 "00 00 19 01 01 00",
		"transferred ArrayBuffer":      "00 00 15 01 0a 01 08 00 00 00 00 00 00 00 00 14 01",
		"transferred object":           "00 00 15 01 1a 01 01 00 14 01",
		"SharedArrayBuffer v1":         "01 00 0d 01 08 00 00 00 00 00 00 00 00",
		"transferred ArrayBuffer (v1)": "01 00 16 01 0b 01 08 00 00 00 00 00 00 00 00 15 01",
	}
	for name, h := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := Decode(mustHex(t, h))
			assert.ErrorIs(t, err, ErrNotPortable)
			var np *NotPortableError
			assert.ErrorAs(t, err, &np)
		})
	}
}

func TestDepthLimit(t *testing.T) {
	// 2000 nested arrays: [[[...]]]
	var b []byte
	b = append(b, 0, 0)
	for i := 1; i <= 2000; i++ {
		b = append(b, 0x12)
		b = appendUint(b, uint64(i))
		b = append(b, 1, 1, 1, '0')
	}
	b = append(b, 1)
	_, err := Decode(b)
	assert.ErrorIs(t, err, ErrTooDeep)

	d := Decoder{MaxDepth: 3000}
	_, err = d.Decode(b)
	assert.NoError(t, err)

	// Encoding: a Go map cycle has no identity, so it ends at the limit.
	m := map[string]any{}
	m["m"] = m
	_, err = Marshal(m)
	assert.Error(t, err)
}

func TestSizeLimit(t *testing.T) {
	d := Decoder{MaxSize: 16}
	_, err := d.Decode(make([]byte, 17))
	assert.ErrorIs(t, err, ErrTooBig)
}

func TestVersion0Quirks(t *testing.T) {
	// Two DataViews carry the same id in version 0 (1.x gives every DataView
	// the id of the first): decoding tolerates it, and the encoder writes it.
	b := mustHex(t, "00 00 15 00 12 01 02 02 01 30 0f 02 0a 03 01 07 00 01 01 31 0f 02 0a 04 01 08 00 01")
	v, err := Decode(b)
	require.NoError(t, err)
	again, err := Marshal(v)
	require.NoError(t, err)
	assert.Equal(t, hex.EncodeToString(b), hex.EncodeToString(again))

	// In version 1 a repeated id is an error.
	_, err = Decode(mustHex(t, "01 00 13 01 02 01 10 02 0b 03 01 07 00 01 10 02 0b 04 01 08 00 01 00"))
	assert.ErrorIs(t, err, ErrBadReference)

	// Ids of 253 and above take three bytes (1.x under-sizes them).
	xs := make([]any, 300)
	for i := range xs {
		xs[i] = []any{}
	}
	b, err = Marshal(xs)
	require.NoError(t, err)
	v, err = Decode(b)
	require.NoError(t, err)
	assert.Len(t, v, 300)
}
