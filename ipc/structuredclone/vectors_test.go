package structuredclone

import (
	"bufio"
	"encoding/hex"
	"math"
	"math/big"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

// vector is one line of testdata/structured-clone-v*.txt: what the real codec
// wrote for a JavaScript value.
type vector struct {
	name string
	data []byte
}

func loadVectors(t testing.TB, version Version) []vector {
	t.Helper()
	name := "testdata/structured-clone-v0.txt"
	if version == Version1 {
		name = "testdata/structured-clone-v1.txt"
	}
	f, err := os.Open(name)
	require.NoError(t, err)
	defer f.Close()
	var out []vector
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.TrimSpace(line) == "" {
			continue
		}
		// The name is padded to column 39; the bytes follow.
		name := strings.TrimSpace(line[:39])
		data, err := hex.DecodeString(strings.ReplaceAll(strings.TrimSpace(line[39:]), " ", ""))
		require.NoError(t, err, line)
		out = append(out, vector{name, data})
	}
	require.NoError(t, sc.Err())
	return out
}

// vectorValues are the Go values of the vectors' JavaScript expressions.
func vectorValues() map[string]any {
	cyclic := jsvalue.NewObject()
	cyclic.Set("self", cyclic)
	return map[string]any{
		"0":                                   0.0,
		"1":                                   1.0,
		"300":                                 300.0,
		"undefined":                           jsvalue.Undefined{},
		"null":                                nil,
		"true":                                true,
		"false":                               false,
		"-1":                                  -1.0,
		"-0":                                  math.Copysign(0, -1),
		"1.5":                                 1.5,
		"2**31":                               2147483648.0,
		"NaN":                                 math.NaN(),
		"0n":                                  big.NewInt(0),
		"1n":                                  big.NewInt(1),
		"-1n":                                 big.NewInt(-1),
		"2n**64n":                             new(big.Int).Lsh(big.NewInt(1), 64),
		"'hi'":                                "hi",
		"''":                                  "",
		"'é'":                                 "é",
		"new Date(1000)":                      time.UnixMilli(1000).UTC(),
		"new Date(-1)":                        time.UnixMilli(-1).UTC(),
		"/a+/gi":                              jsvalue.RegExp{Source: "a+", Flags: "gi"},
		"Error('x') stack='s'":                &jsvalue.Error{Name: "Error", Message: "x", Stack: "s", HasStack: true},
		"TypeError('t',{cause:1}) stack='s'":  &jsvalue.Error{Name: "TypeError", Message: "t", Stack: "s", HasStack: true, Cause: 1.0, HasCause: true},
		"{a:1}":                               jsvalue.NewObject("a", 1.0),
		"{a:1,b:{a:2}}":                       jsvalue.NewObject("a", 1.0, "b", jsvalue.NewObject("a", 2.0)),
		"{1:true}":                            jsvalue.NewObject("1", true),
		"o.self=o":                            cyclic,
		"[1,2]":                               []any{1.0, 2.0},
		"[]":                                  []any{},
		"sparse [1,,,2]":                      &jsvalue.SparseArray{Length: 4, Elements: []jsvalue.Element{{Index: 0, Value: 1.0}, {Index: 3, Value: 2.0}}},
		"[1,2] + foo='bar'":                   &jsvalue.Array{Elements: []any{1.0, 2.0}, Props: []jsvalue.Property{{Key: "foo", Value: "bar"}}},
		"Map([['k',1]])":                      &jsvalue.Map{Entries: []jsvalue.Entry{{Key: "k", Value: 1.0}}},
		"Set([1])":                            &jsvalue.Set{Values: []any{1.0}},
		"new ArrayBuffer(2)":                  jsvalue.ArrayBuffer{0, 0},
		"Uint8Array.from([1,2])":              jsvalue.TypedArray{Kind: jsvalue.KindUint8, Data: []byte{1, 2}},
		"Uint16Array.from([1])":               jsvalue.TypedArray{Kind: jsvalue.KindUint16, Data: []byte{1, 0}},
		"new DataView(new ArrayBuffer(2))":    jsvalue.TypedArray{Kind: jsvalue.KindDataView, Data: []byte{0, 0}},
		"new URL('http://a/')":                jsvalue.URL{Href: "http://a/"},
		"Buffer.from([1,2]) (copied, own AB)": []byte{1, 2},
	}
}

func TestVectors(t *testing.T) {
	values := vectorValues()
	for _, version := range []Version{Version0, Version1} {
		vs := loadVectors(t, version)
		require.Len(t, vs, len(values))
		for _, v := range vs {
			t.Run(version.String()+"/"+v.name, func(t *testing.T) {
				want, ok := values[v.name]
				require.True(t, ok, "no Go value for vector %q", v.name)

				got, err := Marshal(want, WithVersion(version))
				require.NoError(t, err)
				assert.Equal(t, hex.EncodeToString(v.data), hex.EncodeToString(got), "encoding")

				dec, err := Decode(v.data)
				require.NoError(t, err)
				assertSameValue(t, want, dec)

				again, err := Marshal(dec, WithVersion(version))
				require.NoError(t, err)
				assert.Equal(t, hex.EncodeToString(v.data), hex.EncodeToString(again), "re-encoding the decoded value")
			})
		}
	}
}

// assertSameValue compares model values, NaN equal to NaN.
func assertSameValue(t *testing.T, want, got any) {
	t.Helper()
	if f, ok := want.(float64); ok && math.IsNaN(f) {
		g, ok := got.(float64)
		assert.True(t, ok && math.IsNaN(g), "want NaN, got %#v", got)
		return
	}
	if f, ok := want.(float64); ok && f == 0 {
		g, ok := got.(float64)
		assert.True(t, ok && g == 0 && math.Signbit(f) == math.Signbit(g), "want %v, got %#v", f, got)
		return
	}
	if w, ok := want.(*big.Int); ok {
		g, ok := got.(*big.Int)
		assert.True(t, ok && w.Cmp(g) == 0, "want %v, got %#v", w, got)
		return
	}
	assert.Equal(t, want, got)
}
