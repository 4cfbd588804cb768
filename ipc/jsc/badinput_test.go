package jsc

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

// in builds an input: version 14, then the given pieces (bytes, or uint32
// and uint64 values, little-endian).
func in(parts ...any) []byte {
	return inVersion(Version, parts...)
}

func inVersion(version uint32, parts ...any) []byte {
	b := binary.LittleEndian.AppendUint32(nil, version)
	for _, p := range parts {
		switch x := p.(type) {
		case int:
			b = append(b, byte(x))
		case byte:
			b = append(b, x)
		case []byte:
			b = append(b, x...)
		case string:
			b = append(b, x...)
		case uint32:
			b = binary.LittleEndian.AppendUint32(b, x)
		case uint64:
			b = binary.LittleEndian.AppendUint64(b, x)
		default:
			panic("in: bad part")
		}
	}
	return b
}

func latin1(s string) []any { return []any{uint32(len(s)) | flagLatin1, s} }

func cat(parts ...any) []any {
	var out []any
	for _, p := range parts {
		if l, ok := p.([]any); ok {
			out = append(out, l...)
		} else {
			out = append(out, p)
		}
	}
	return out
}

var badInputs = []struct {
	name string
	data []byte
	err  error
}{
	{"empty", nil, ErrTruncated},
	{"short version", []byte{14, 0}, ErrTruncated},
	{"no value", in(), ErrTruncated},
	{"version 15", inVersion(15, tagNull), ErrVersion},
	{"unknown tag 0", in(0), ErrUnknownTag},
	{"unknown tag 56", in(56), ErrUnknownTag},
	{"trailing", in(tagNull, tagNull), ErrTrailingData},
	{"int truncated", in(tagInt, 1, 2), ErrTruncated},
	{"string beyond input", in(tagString, uint32(5)|flagLatin1, "ab"), ErrLength},
	{"utf-16 beyond input", in(tagString, uint32(2), "ab"), ErrLength},
	{"string too long", in(tagString, uint32(maxStringUnits)), ErrLength},
	{"string pool empty", in(tagString, uint32(markStringPool), 0), ErrBadReference},
	{"terminator as string", in(tagString, uint32(markTerminator)), ErrMalformed},
	{"ArrayBuffer beyond input", in(tagArrayBuffer, uint64(1<<40)), ErrLength},
	{"ArrayBuffer length truncated", in(tagArrayBuffer, uint32(1)), ErrTruncated},
	{"BigInt of too many words", in(tagBigInt, 0, uint32(1<<30)), ErrLength},
	{"BigInt beyond input", in(tagBigInt, 0, uint32(2), uint64(1)), ErrLength},
	{"object reference into an empty pool", in(tagObjectReference, 0), ErrBadReference},
	{"object reference ahead", in(cat(tagArray, uint32(1), uint32(0), tagObjectReference, 1, uint32(markTerminator))...), ErrBadReference},
	{"view subtag", in(tagArrayBufferView, 13, uint64(0), uint64(0), tagArrayBuffer, uint64(0)), ErrMalformed},
	{"view over an object", in(cat(tagArray, uint32(2), uint32(0), tagObject, uint32(markTerminator), uint32(1), tagArrayBufferView, 2, uint64(0), uint64(0), tagObjectReference, 1, uint32(markTerminator))...), ErrBadReference},
	{"view over a string", in(tagArrayBufferView, 2, uint64(0), uint64(0), tagString, uint32(1)|flagLatin1, "a"), ErrMalformed},
	{"view over a resizable buffer", in(tagArrayBufferView, 2, uint64(0), uint64(0), tagResizableArrayBuffer, uint64(0), uint64(8)), ErrUnsupported},
	{"view length not a multiple", in(tagArrayBufferView, 6, uint64(0), uint64(3), tagArrayBuffer, uint64(4), "abcd"), ErrMalformed},
	{"view offset not aligned", in(tagArrayBufferView, 5, uint64(1), uint64(2), tagArrayBuffer, uint64(4), "abcd"), ErrMalformed},
	{"view beyond its buffer", in(tagArrayBufferView, 2, uint64(2), uint64(4), tagArrayBuffer, uint64(4), "abcd"), ErrMalformed},
	{"view offset overflow", in(tagArrayBufferView, 2, ^uint64(0), uint64(2), tagArrayBuffer, uint64(4), "abcd"), ErrMalformed},
	{"auto-length view", in(tagArrayBufferView, 2, uint64(0), autoLengthMarker, tagArrayBuffer, uint64(4), "abcd"), ErrUnsupported},
	{"error type 7", in(tagErrorInstance, 7, uint32(1), uint32(0), uint32(0), uint32(1), uint32(1)), ErrMalformed},
	{"error boolean 2", in(tagErrorInstance, 0, uint32(2)), ErrMalformed},
	{"RegExp flag twice", in(cat(tagRegExp, latin1("a"), latin1("gg"))...), ErrMalformed},
	{"RegExp unknown flag", in(cat(tagRegExp, latin1("a"), latin1("z"))...), ErrMalformed},
	{"RegExp u and v", in(cat(tagRegExp, latin1("a"), latin1("uv"))...), ErrMalformed},
	{"Map with a property", in(cat(tagMap, tagNonMapProperties, latin1("p"), tagOne, uint32(markTerminator))...), ErrUnsupported},
	{"Set with a property", in(cat(tagSet, tagNonSetProperties, latin1("p"), tagOne, uint32(markTerminator))...), ErrUnsupported},
	{"Map truncated", in(tagMap, tagOne), ErrTruncated},
	{"end of Map outside one", in(tagNonMapProperties), ErrMalformed},
	{"object truncated", in(tagObject), ErrTruncated},
	{"resizable ArrayBuffer", in(tagResizableArrayBuffer, uint64(0), uint64(8)), ErrUnsupported},
	{"Blob (Bun)", in(tagBunBlob), ErrUnsupported},
	{"X509Certificate", in(tagBunX509), ErrUnsupported},
	{"DOMException", in(tagDOMException), ErrUnsupported},
	{"SharedArrayBuffer", in(tagSharedArrayBuffer, uint32(0)), ErrNotPortable},
	{"MessagePort", in(tagMessagePortReference, uint32(0)), ErrNotPortable},
	{"transferred ArrayBuffer", in(tagArrayBufferTransfer, uint32(0)), ErrNotPortable},
	{"ReadableStream", in(tagBunReadableStream, uint32(0)), ErrNotPortable},
	{"self-containing array extended far", in(tagArray, uint32(1), uint32(0), tagObjectReference, 0, uint32(100000), tagNull, uint32(markTerminator)), ErrUnsupported},
	{"array property length", in(cat(tagArray, uint32(0), uint32(markNonIndexProps), latin1("length"), tagOne, uint32(markTerminator))...), ErrMalformed},
	{"deep", in(bytes.Repeat(append([]byte{tagArray}, 1, 0, 0, 0, 0, 0, 0, 0), 2000)), ErrTooDeep},
}

// Each malformed input is refused with the right error, at an offset within
// the input.
func TestBadInput(t *testing.T) {
	for _, c := range badInputs {
		_, err := Decode(c.data)
		var de *DecodeError
		if assert.ErrorAs(t, err, &de, c.name) {
			assert.ErrorIs(t, err, c.err, c.name)
			assert.LessOrEqual(t, de.Offset, len(c.data), c.name)
			assert.Contains(t, err.Error(), "jsc: ", c.name)
		}
	}
}

func TestDecodeLimits(t *testing.T) {
	d := Decoder{MaxSize: 8}
	_, err := d.Decode(in(tagString, uint32(4)|flagLatin1, "abcd"))
	assert.ErrorIs(t, err, ErrTooBig)

	nested := in(bytes.Repeat([]byte{tagArray, 1, 0, 0, 0, 0, 0, 0, 0}, 10), tagNull, bytes.Repeat([]byte{0xff, 0xff, 0xff, 0xff}, 10))
	d = Decoder{MaxDepth: 10}
	_, err = d.Decode(nested)
	assert.NoError(t, err)
	d = Decoder{MaxDepth: 9}
	_, err = d.Decode(nested)
	assert.ErrorIs(t, err, ErrTooDeep)

	// A length of 4 GiB in a tiny input allocates nothing.
	allocs := testing.AllocsPerRun(10, func() {
		_, _ = Decode(in(tagArray, uint32(0xFFFFFFFF), uint32(markTerminator)))
	})
	assert.Less(t, allocs, 10.0)
	v, err := Decode(in(tagArray, uint32(0xFFFFFFFF), uint32(markTerminator)))
	require.NoError(t, err)
	assert.Equal(t, &jsvalue.SparseArray{Length: 0xFFFFFFFF}, v)
}

// Older versions: before version 10, buffer lengths and view offsets and
// lengths are 32-bit; version 0 and 13 read as JavaScriptCore reads them.
func TestOlderVersions(t *testing.T) {
	v, err := Decode(inVersion(9, tagArrayBufferView, 2, uint32(1), uint32(2), tagArrayBuffer, uint32(4), "abcd"))
	require.NoError(t, err)
	assert.Equal(t, jsvalue.TypedArray{Kind: jsvalue.KindUint8, Data: []byte("bc")}, v)
	v, err = Decode(inVersion(0, cat(tagObject, latin1("a"), tagOne, uint32(markTerminator))...))
	require.NoError(t, err)
	assert.Equal(t, jsvalue.NewObject("a", 1.0), v)
	v, err = Decode(inVersion(13, tagArrayBuffer, uint64(1), "z"))
	require.NoError(t, err)
	assert.Equal(t, jsvalue.ArrayBuffer("z"), v)
	_, err = Decode(inVersion(9, tagArrayBuffer, uint64(1), "z"))
	assert.ErrorIs(t, err, ErrTrailingData, "a 64-bit length read as 32 bits")
}

// What JavaScriptCore accepts and the model keeps: duplicate keys (last
// value, first place), out-of-order and out-of-range array indices, index
// keys among an array's named properties, any non-zero BigInt sign, flags in
// any order.
func TestLenientLikeJavaScriptCore(t *testing.T) {
	v, err := Decode(in(cat(tagObject, latin1("a"), tagOne, latin1("b"), tagOne, uint32(markStringPool), 0, tagZero, uint32(markTerminator))...))
	require.NoError(t, err)
	assert.Equal(t, jsvalue.NewObject("a", 0.0, "b", 1.0), v)

	v, err = Decode(in(cat(tagArray, uint32(1), uint32(2), tagOne, uint32(0), tagZero, uint32(markNonIndexProps), latin1("1"), tagTrue, latin1("k"), tagNull, uint32(markTerminator))...))
	require.NoError(t, err)
	assert.Equal(t, &jsvalue.Array{Elements: []any{0.0, true, 1.0}, Props: []jsvalue.Property{{Key: "k"}}}, v)

	v, err = Decode(in(tagBigInt, 2, uint32(2), uint64(5), uint64(0)))
	require.NoError(t, err)
	assert.Equal(t, "-5", v.(interface{ String() string }).String())

	v, err = Decode(in(cat(tagRegExp, latin1("a"), latin1("yig"))...))
	require.NoError(t, err)
	assert.Equal(t, jsvalue.RegExp{Source: "a", Flags: "giy"}, v)
}

func TestUnmarshal(t *testing.T) {
	b, err := Marshal(map[string]any{"id": 7, "tags": []string{"a"}})
	require.NoError(t, err)
	var dst struct {
		ID   int      `json:"id"`
		Tags []string `json:"tags"`
	}
	require.NoError(t, Unmarshal(b, &dst))
	assert.Equal(t, 7, dst.ID)
	assert.Equal(t, []string{"a"}, dst.Tags)
	var m any
	require.NoError(t, Unmarshal(b, &m))
	assert.Equal(t, map[string]any{"id": 7.0, "tags": []any{"a"}}, m)
	assert.Error(t, Unmarshal(b, nil))
	var de *DecodeError
	assert.True(t, errors.As(Unmarshal([]byte{1}, &m), &de))
}
