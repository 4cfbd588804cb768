package jsc

import (
	"encoding/hex"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

func marshalHex(t *testing.T, v any) string {
	t.Helper()
	b, err := Marshal(v)
	require.NoError(t, err)
	return hex.EncodeToString(b)
}

// Numbers in arrays are written as JavaScriptCore holds them after reading
// the array: all doubles up to the first non-number once one of them is
// not an int32 (seen as Bun re-serializing [int, double] as two doubles).
func TestEncodeArrayShapes(t *testing.T) {
	assert.Equal(t, "0e000000"+"0102000000"+"00000000"+"0a000000000000f03f"+"01000000"+"0a0000000000000440"+"ffffffff",
		marshalHex(t, []any{1.0, 2.5}), "[1, 2.5]: 1 is a double")
	assert.Equal(t, "0e000000"+"0103000000"+"00000000"+"07"+"01000000"+"1001000080"+"61"+"02000000"+"0a0000000000000440"+"ffffffff",
		marshalHex(t, []any{1.0, "a", 2.5}), "[1, 'a', 2.5]: 1 stays an int32")
	assert.Equal(t, "0e000000"+"0103000000"+"00000000"+"0a0000000000000440"+"01000000"+"1001000080"+"61"+"02000000"+"07"+"ffffffff",
		marshalHex(t, []any{2.5, "a", 1.0}), "[2.5, 'a', 1]: 1 after the non-number is an int32")
	sparse := &jsvalue.SparseArray{Length: 10, Elements: []jsvalue.Element{{Index: 1, Value: 7.0}, {Index: 5, Value: 0.5}}}
	assert.Equal(t, "0e000000"+"010a000000"+"01000000"+"0a0000000000001c40"+"05000000"+"0a000000000000e03f"+"ffffffff",
		marshalHex(t, sparse))
	assert.Equal(t, "0e000000"+"0102000000"+"00000000"+"07"+"01000000"+"0502000000"+"ffffffff",
		marshalHex(t, []any{1.0, 2.0}), "int32s stay int32s")
	assert.Equal(t, "0e000000"+"0102000000"+"00000000"+"07"+"01000000"+"0a000000000000f87f"+"ffffffff",
		marshalHex(t, []any{1.0, math.NaN()}), "[1, NaN]: NaN turns int32 storage into plain values, 1 stays an int32")
	assert.Equal(t, "0e000000"+"0103000000"+"00000000"+"0a000000000000f83f"+"01000000"+"0a000000000000f87f"+"02000000"+"07"+"ffffffff",
		marshalHex(t, []any{1.5, math.NaN(), 1.0}), "[1.5, NaN, 1]: 1 after the NaN is an int32")
}

// Map keys and Set values are taken as Map and Set take them: -0 is 0, and
// the same key twice is refused by Marshal and merged by Decode.
func TestMapSetSameValueZero(t *testing.T) {
	negZero := math.Copysign(0, -1)
	assert.Equal(t, "0e000000"+"1e"+"06"+"07"+"1f"+"ffffffff",
		marshalHex(t, &jsvalue.Map{Entries: []jsvalue.Entry{{Key: negZero, Value: 1.0}}}))
	assert.Equal(t, "0e000000"+"1d"+"06"+"20"+"ffffffff",
		marshalHex(t, &jsvalue.Set{Values: []any{negZero}}))
	o := jsvalue.NewObject()
	for _, m := range []any{
		&jsvalue.Map{Entries: []jsvalue.Entry{{Key: 0.0, Value: 1.0}, {Key: negZero, Value: 2.0}}},
		&jsvalue.Map{Entries: []jsvalue.Entry{{Key: math.NaN(), Value: 1.0}, {Key: math.NaN(), Value: 2.0}}},
		&jsvalue.Map{Entries: []jsvalue.Entry{{Key: o, Value: 1.0}, {Key: o, Value: 2.0}}},
		&jsvalue.Set{Values: []any{"a", "a"}},
	} {
		_, err := Marshal(m)
		var ee *EncodeError
		assert.ErrorAs(t, err, &ee, "%#v", m)
	}
	ok := &jsvalue.Map{Entries: []jsvalue.Entry{{Key: jsvalue.NewObject(), Value: 1.0}, {Key: jsvalue.NewObject(), Value: 2.0}, {Key: jsvalue.Boxed{Value: 1.0}}, {Key: jsvalue.Boxed{Value: 1.0}}}}
	_, err := Marshal(ok)
	assert.NoError(t, err, "distinct objects are distinct keys")

	v, err := Decode(in(tagMap, tagOne, tagTrue, tagDouble, uint64(0x3FF0000000000000), tagFalse, tagNonMapProperties, uint32(markTerminator)))
	require.NoError(t, err)
	assert.Equal(t, &jsvalue.Map{Entries: []jsvalue.Entry{{Key: 1.0, Value: false}}}, v)
	v, err = Decode(in(tagSet, tagDouble, uint64(0x8000000000000000), tagZero, tagNonSetProperties, uint32(markTerminator)))
	require.NoError(t, err)
	assert.Equal(t, &jsvalue.Set{Values: []any{0.0}}, v)
}

// A Date, a RegExp and an Error each take an object-pool slot, so that
// references after them count them (Bun 1.4.5 writes [date, o, o] with the
// reference 2), and a shared *jsvalue.Error is written once.
func TestDateRegExpErrorSlots(t *testing.T) {
	o := jsvalue.NewObject()
	for _, first := range []any{time.UnixMilli(0).UTC(), jsvalue.InvalidDate{}, jsvalue.RegExp{Source: "a"}, &jsvalue.Error{Message: "x"}} {
		b, err := Marshal([]any{first, o, o})
		require.NoError(t, err)
		assert.Equal(t, "001302ffffffff", hex.EncodeToString(b[len(b)-7:]), "%#v", first)
		v, err := Decode(b)
		require.NoError(t, err)
		got := v.([]any)
		assert.Same(t, got[1].(*jsvalue.Object), got[2].(*jsvalue.Object))
	}
	e := &jsvalue.Error{Name: "TypeError", Message: "x"}
	b, err := Marshal([]any{e, e})
	require.NoError(t, err)
	assert.Equal(t, "001301ffffffff", hex.EncodeToString(b[len(b)-7:]))
	v, err := Decode(b)
	require.NoError(t, err)
	got := v.([]any)
	assert.Same(t, got[0].(*jsvalue.Error), got[1].(*jsvalue.Error))
}
