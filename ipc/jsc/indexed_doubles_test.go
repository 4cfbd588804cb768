package jsc

import (
	"encoding/hex"
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

// TestObjectIndexedNumbersAsBunWritesThem: an object's index-keyed numbers
// are written as int32s or doubles as bun:jsc's serialize (bun 1.4.5) wrote
// the same objects: once a number that is not an int32 joined the indexed
// properties, the int32s before it are doubles, and so are the later ones
// unless their index is far enough to land in the sparse map.
func TestObjectIndexedNumbersAsBunWritesThem(t *testing.T) {
	cases := []struct {
		name string
		obj  *jsvalue.Object
		bun  string // bun:jsc's serialize of the same object
	}{
		{"int then max double at the last index", jsvalue.NewObject("1", -62476859.0, "4294967294", math.MaxFloat64),
			"0e0000000201000080310a000000d891ca8dc10a000080343239343936373239340affffffffffffef7fffffffff"},
		{"int alone", jsvalue.NewObject("1", -62476859.0),
			"0e00000002010000803105c5ad46fcffffffff"},
		{"int then int far away", jsvalue.NewObject("1", -62476859.0, "4294967294", 5.0),
			"0e00000002010000803105c5ad46fc0a000080343239343936373239340505000000ffffffff"},
		{"int then double", jsvalue.NewObject("1", 7.0, "2", 1.5),
			"0e0000000201000080310a0000000000001c4001000080320a000000000000f83fffffffff"},
		{"int, double, string", jsvalue.NewObject("1", 7.0, "2", 1.5, "3", "x"),
			"0e0000000201000080310a0000000000001c4001000080320a000000000000f83f0100008033100100008078ffffffff"},
		{"double then int far away", jsvalue.NewObject("1", 1.5, "4294967294", 7.0),
			"0e0000000201000080310a000000000000f83f0a000080343239343936373239340507000000ffffffff"},
		{"int then NaN", jsvalue.NewObject("1", 7.0, "2", math.NaN()),
			"0e000000020100008031050700000001000080320a000000000000f87fffffffff"},
		{"double then int near", jsvalue.NewObject("1", 1.5, "50", 7.0),
			"0e0000000201000080310a000000000000f83f0200008035300a0000000000001c40ffffffff"},
		{"double then int at 1000", jsvalue.NewObject("1", 1.5, "1000", 7.0),
			"0e0000000201000080310a000000000000f83f04000080313030300507000000ffffffff"},
		{"int, double, then a named property", jsvalue.NewObject("1", 7.0, "2", 1.5, "a", 3.0),
			"0e0000000201000080310a0000000000001c4001000080320a000000000000f83f01000080610503000000ffffffff"},
	}
	for _, c := range cases {
		got, err := Marshal(c.obj)
		require.NoError(t, err, c.name)
		require.Equal(t, c.bun, hex.EncodeToString(got), c.name)
	}
}
