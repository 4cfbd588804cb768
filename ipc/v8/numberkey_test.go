package v8

import (
	"encoding/binary"
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

// A number used as a property key becomes String(number): 1e20 is
// "100000000000000000000" (it was "9223372036854775808", the float cut to an
// int64), -0 is "0", NaN and Infinity by name.
func TestDoubleKeysAreJavaScriptsStrings(t *testing.T) {
	keys := []float64{1e20, 1.5, math.Copysign(0, -1), math.NaN(), math.Inf(1), 1e21}
	want := []string{"100000000000000000000", "1.5", "0", "NaN", "Infinity", "1e+21"}
	data := []byte{0xFF, 15, 'o'}
	for _, k := range keys {
		data = append(data, 'N')
		data = binary.LittleEndian.AppendUint64(data, math.Float64bits(k))
		data = append(data, 'T')
	}
	data = append(data, '{', byte(len(keys)))
	v, err := Decode(data)
	require.NoError(t, err)
	o, ok := v.(*jsvalue.Object)
	require.True(t, ok, "%T", v)
	for _, k := range want {
		_, has := o.Get(k)
		require.True(t, has, "key %q missing from %v", k, o.Keys())
	}
}
