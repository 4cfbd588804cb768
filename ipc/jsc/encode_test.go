package jsc

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"math"
	"math/big"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

// Values the format cannot carry, or would carry changed, are refused with
// an *EncodeError naming the reason.
func TestEncodeRefuses(t *testing.T) {
	cases := []struct {
		name string
		v    any
		msg  string
	}{
		{"cause", &jsvalue.Error{Message: "m", Cause: 1.0, HasCause: true}, "cause"},
		{"AggregateError", &jsvalue.Error{Name: jsvalue.ErrorNameAggregateError, Errors: []any{1.0}}, "error name"},
		{"custom error name", &jsvalue.Error{Name: "MyError"}, "error name"},
		{"errors", &jsvalue.Error{Errors: []any{1.0}}, "AggregateError's errors"},
		{"URL", jsvalue.URL{Href: "x:y"}, "URL"},
		{"hole", jsvalue.Hole{}, "hole"},
		{"regexp flags", jsvalue.RegExp{Source: "a", Flags: "gg"}, "flags"},
		{"date range", time.UnixMilli(8.64e15 + 1), "8.64e15"},
		{"index property on an array", &jsvalue.Array{Elements: []any{1.0}, Props: []jsvalue.Property{{Key: "3", Value: 1.0}}}, "array index"},
		{"length property on an array", &jsvalue.Array{Elements: []any{1.0}, Props: []jsvalue.Property{{Key: "length", Value: 1.0}}}, "length"},
		{"typed array length", jsvalue.TypedArray{Kind: jsvalue.KindFloat64, Data: make([]byte, 3)}, "multiple of 8"},
		{"typed array kind", jsvalue.TypedArray{Kind: 99, Data: nil}, "kind"},
		{"boxed", jsvalue.Boxed{Value: []any{}}, "Boxed"},
		{"sparse order", &jsvalue.SparseArray{Length: 5, Elements: []jsvalue.Element{{Index: 2}, {Index: 1}}}, "ascending"},
		{"sparse beyond length", &jsvalue.SparseArray{Length: 1, Elements: []jsvalue.Element{{Index: 2}}}, "ascending"},
		{"sparse marker index", &jsvalue.SparseArray{Length: 0xFFFFFFFF, Elements: []jsvalue.Element{{Index: markNonIndexProps}}}, "marker"},
		{"channel", make(chan int), ""},
		{"Go cycle", func() any { m := map[string]any{}; m["m"] = m; return m }(), ""},
	}
	for _, c := range cases {
		b, err := Marshal(c.v)
		var ee *EncodeError
		if assert.True(t, errors.As(err, &ee), "%s: got %v (% x)", c.name, err, b) {
			assert.Contains(t, err.Error(), c.msg, c.name)
			assert.Contains(t, err.Error(), "jsc: ", c.name)
		}
		dst := []byte{1, 2}
		out, err := Append(dst, c.v)
		assert.Error(t, err)
		assert.Equal(t, []byte{1, 2}, out, c.name)
	}
}

// Numbers: 0 and 1 have tags of their own, other int32s are IntTag, all
// else (-0, fractions, beyond int32, NaN as JavaScriptCore's one NaN) a
// double.
func TestEncodeNumbers(t *testing.T) {
	for _, c := range []struct {
		f    float64
		want string
	}{
		{0, "06"}, {1, "07"}, {-1, "05ffffffff"}, {math.MaxInt32, "05ffffff7f"}, {math.MinInt32, "0500000080"},
		{math.Copysign(0, -1), "0a0000000000000080"}, {1 << 31, "0a000000000000e041"}, {0.5, "0a000000000000e03f"},
		{math.NaN(), "0a000000000000f87f"}, {math.Float64frombits(0x7FF0000000000001), "0a000000000000f87f"},
	} {
		b, err := Marshal(c.f)
		require.NoError(t, err)
		assert.Equal(t, "0e000000"+c.want, hex.EncodeToString(b), "%v", c.f)
	}
	b, err := Marshal(int64(7))
	require.NoError(t, err)
	assert.Equal(t, "0e0000000507000000", hex.EncodeToString(b))
}

// Pool indices are one byte while a pool holds at most 255 entries, two up
// to 65535, four beyond, on both sides; Go's decoder reads what Go's encoder
// writes at every width, for strings and objects.
func TestPoolIndexWidths(t *testing.T) {
	for _, n := range []int{255, 256, 65535, 65536, 70000} {
		strs := make([]any, n, n+1)
		objs := make([]any, n, n+1)
		for i := range n {
			strs[i] = "s" + strconv.Itoa(i)
			objs[i] = jsvalue.NewObject()
		}
		strs = append(strs, "s0")
		objs = append(objs, objs[n-1])
		b, err := Marshal(strs)
		require.NoError(t, err)
		width := 1
		switch {
		case n > 0xFFFF:
			width = 4
		case n > 0xFF:
			width = 2
		}
		// [... 'n' index, StringTag, pool marker, index, terminator]
		tail := b[len(b)-4-width-4-1-4:]
		assert.Equal(t, uint32(n), binary.LittleEndian.Uint32(tail))
		assert.Equal(t, byte(tagString), tail[4])
		assert.Equal(t, uint32(markStringPool), binary.LittleEndian.Uint32(tail[5:]))
		assert.Equal(t, make([]byte, width), tail[9:9+width], "n=%d: index 0 in %d bytes", n, width)
		v, err := Decode(b)
		require.NoError(t, err)
		assert.Equal(t, strs, v)

		b, err = Marshal(objs)
		require.NoError(t, err)
		v, err = Decode(b)
		require.NoError(t, err)
		got := v.([]any)
		require.Len(t, got, n+1)
		assert.Same(t, got[n-1], got[n], "n=%d", n)
	}
}

// Views over one ArrayBuffer of the value are written over it (offset, then
// a reference); views of views share the largest; a view that is not aligned
// within a buffer gets its own; []byte is a Uint8Array.
func TestEncodeViews(t *testing.T) {
	ab := jsvalue.ArrayBuffer{1, 2, 3, 4, 5, 6, 7, 8}
	u16 := jsvalue.TypedArray{Kind: jsvalue.KindUint16, Data: ab[2:6]}
	b, err := Marshal([]any{u16, ab})
	require.NoError(t, err)
	want := "0e000000" + "01" + "02000000" +
		"00000000" + "1605" + "0200000000000000" + "0400000000000000" + "15" + "0800000000000000" + "0102030405060708" +
		"01000000" + "1301" + "ffffffff"
	assert.Equal(t, want, hex.EncodeToString(b))
	v, err := Decode(b)
	require.NoError(t, err)
	got := v.([]any)
	got[1].(jsvalue.ArrayBuffer)[2] = 9
	assert.Equal(t, byte(9), got[0].(jsvalue.TypedArray).Data[0])

	whole := jsvalue.TypedArray{Kind: jsvalue.KindDataView, Data: []byte{1, 2, 3, 4}}
	part := jsvalue.TypedArray{Kind: jsvalue.KindUint8, Data: whole.Data[1:3]}
	b, err = Marshal([]any{part, whole})
	require.NoError(t, err)
	v, err = Decode(b)
	require.NoError(t, err)
	got = v.([]any)
	got[1].(jsvalue.TypedArray).Data[1] = 7
	assert.Equal(t, byte(7), got[0].(jsvalue.TypedArray).Data[0], "the part shares the whole's buffer")

	odd := jsvalue.TypedArray{Kind: jsvalue.KindUint16, Data: ab[1:3]}
	b, err = Marshal([]any{ab, odd})
	require.NoError(t, err)
	v, err = Decode(b)
	require.NoError(t, err)
	assert.Equal(t, []byte{2, 3}, v.([]any)[1].(jsvalue.TypedArray).Data)

	b, err = Marshal([]byte("hi"))
	require.NoError(t, err)
	assert.Equal(t, "0e000000"+"1602"+"0000000000000000"+"0200000000000000"+"15"+"0200000000000000"+"6869", hex.EncodeToString(b))
}

// Other values: Go values through jsvalue.FromGo, Dates truncated to the
// millisecond as Date holds them, BigInts of every size, strings in both
// widths with lone surrogates, boxed values, errors.
func TestEncodeRoundTrip(t *testing.T) {
	type inner struct {
		A int    `json:"a"`
		B string `json:"b,omitempty"`
	}
	big1 := new(big.Int).Lsh(big.NewInt(1), 200)
	for _, c := range []struct {
		in, want any
	}{
		{inner{A: 1}, jsvalue.NewObject("a", 1.0)},
		{map[string]any{"z": nil, "1": true}, jsvalue.NewObject("1", true, "z", nil)},
		{time.Unix(1, 999999999).UTC(), time.UnixMilli(1999).UTC()},
		{time.UnixMilli(-1).Add(-time.Microsecond), time.UnixMilli(-1).UTC()},
		{big1, big1},
		{new(big.Int).Neg(big1), new(big.Int).Neg(big1)},
		{big.NewInt(0), new(big.Int)},
		{"ÿ", "ÿ"},
		{"a😀\xed\xa0\x80b", "a😀\xed\xa0\x80b"},
		{"bad\xff", "bad\uFFFD"},
		{jsvalue.Boxed{Value: big.NewInt(-3)}, jsvalue.Boxed{Value: big.NewInt(-3)}},
		{jsvalue.Boxed{Value: math.Inf(-1)}, jsvalue.Boxed{Value: math.Inf(-1)}},
		{&jsvalue.Error{Name: "TypeError", Message: "m"}, &jsvalue.Error{Name: "TypeError", Message: "m"}},
		{&jsvalue.Error{Stack: "", HasStack: true}, &jsvalue.Error{Name: "Error", HasStack: true}},
		{jsvalue.RegExp{Source: "€", Flags: "yg"}, jsvalue.RegExp{Source: "€", Flags: "gy"}},
		{&jsvalue.SparseArray{Length: 10, Elements: []jsvalue.Element{{Index: 9, Value: "x"}}}, &jsvalue.SparseArray{Length: 10, Elements: []jsvalue.Element{{Index: 9, Value: "x"}}}},
		{[]any{1.0, jsvalue.Hole{}}, &jsvalue.SparseArray{Length: 2, Elements: []jsvalue.Element{{Index: 0, Value: 1.0}}}},
		{&jsvalue.Map{Entries: []jsvalue.Entry{{Key: jsvalue.Undefined{}, Value: jsvalue.InvalidDate{}}}}, &jsvalue.Map{Entries: []jsvalue.Entry{{Key: jsvalue.Undefined{}, Value: jsvalue.InvalidDate{}}}}},
	} {
		b, err := Marshal(c.in)
		require.NoError(t, err, "%#v", c.in)
		v, err := Decode(b)
		require.NoError(t, err, "%#v", c.in)
		assert.Equal(t, c.want, v, "%#v", c.in)
	}
}

func TestEncoderMaxDepth(t *testing.T) {
	var v any = 1.0
	for range 20 {
		v = []any{v}
	}
	e := Encoder{MaxDepth: 20}
	_, err := e.Marshal(v)
	assert.NoError(t, err)
	e = Encoder{MaxDepth: 19}
	_, err = e.Marshal(v)
	assert.ErrorContains(t, err, "nesting deeper than 19")
}
