package jsvalue

import (
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFromGoScalars(t *testing.T) {
	type myString string
	type myBytes []byte
	ts := time.Unix(1, 0).UTC()
	cases := []struct {
		in   any
		want any
	}{
		{nil, nil},
		{true, true},
		{int8(-3), float64(-3)},
		{uint64(1 << 60), float64(1 << 60)},
		{int64(1<<53 + 1), float64(1 << 53)}, // lossy, as in JavaScript
		{float32(0.5), 0.5},
		{"s", "s"},
		{myString("m"), "m"},
		{[]byte{1, 2}, []byte{1, 2}},
		{myBytes{3}, []byte{3}},
		{[2]byte{1, 2}, []any{1.0, 2.0}},
		{[]int{1, 2}, []any{1.0, 2.0}},
		{[]int(nil), nil},
		{(*int)(nil), nil},
		{map[string]int(nil), nil},
		{ts, ts},
		{*big.NewInt(7), big.NewInt(7)},
		{big.NewInt(-7), big.NewInt(-7)},
		{Undefined{}, Undefined{}},
		{Boxed{Value: 1.0}, Boxed{Value: 1.0}},
	}
	for _, c := range cases {
		got, err := FromGo(c.in)
		require.NoError(t, err, "%#v", c.in)
		assert.Equal(t, c.want, got, "%#v", c.in)
	}
}

func TestFromGoMapsSortedKeys(t *testing.T) {
	got, err := FromGo(map[string]int{"b": 2, "10": 10, "a": 1, "9": 9})
	require.NoError(t, err)
	assert.Equal(t, []string{"10", "9", "a", "b"}, got.(*Object).Keys())

	got, err = FromGo(map[int]bool{-1: true, 2: false})
	require.NoError(t, err)
	assert.Equal(t, NewObject("-1", true, "2", false), got)

	_, err = FromGo(map[float64]int{1: 1})
	assert.ErrorContains(t, err, "map key type float64")
}

type Inner struct {
	A int    `json:"a"`
	B string `js:"bee" json:"ignored"`
}

type Outer struct {
	Inner
	*Deep
	Name    string    `js:"name"`
	Skip    int       `js:"-"`
	Empty   string    `json:",omitempty"`
	Zero    time.Time `js:",omitzero"`
	private int
	A       int // shadows Inner.A? no: Inner.A is named "a"
}

type Deep struct {
	D float64 `json:"d"`
}

func TestFromGoStruct(t *testing.T) {
	got, err := FromGo(Outer{Inner: Inner{A: 1, B: "b"}, Name: "n", Skip: 9, private: 3, A: 2})
	require.NoError(t, err)
	assert.Equal(t, NewObject("a", 1.0, "bee", "b", "name", "n", "A", 2.0), got)

	got, err = FromGo(&Outer{Deep: &Deep{D: 1.5}})
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "bee", "d", "name", "A"}, got.(*Object).Keys())
}

func TestFromGoEmbeddedConflicts(t *testing.T) {
	type X struct{ N int }
	type Y struct{ N int }
	type Tagged struct {
		N int `json:"N"`
	}
	type Both struct {
		X
		Y
	}
	type Win struct {
		X
		Tagged
	}
	got, err := FromGo(Both{})
	require.NoError(t, err)
	assert.Empty(t, got.(*Object).Props, "untagged tie hides the name")
	got, err = FromGo(Win{Tagged: Tagged{N: 5}})
	require.NoError(t, err)
	assert.Equal(t, NewObject("N", 5.0), got)
}

func TestFromGoModelPassThrough(t *testing.T) {
	o := NewObject("a", 1.0)
	o.Set("self", o)
	got, err := FromGo(o)
	require.NoError(t, err)
	assert.Same(t, o, got)
}

func TestFromGoModelWithGoValuesKeepsIdentity(t *testing.T) {
	shared := NewObject("n", 1)
	o := NewObject("x", shared, "y", shared, "list", []any{int8(2)})
	o.Set("self", o)
	got, err := FromGo(o)
	require.NoError(t, err)
	out := got.(*Object)
	assert.NotSame(t, o, out)
	x, _ := out.Get("x")
	y, _ := out.Get("y")
	self, _ := out.Get("self")
	assert.Same(t, x, y)
	assert.Same(t, out, self)
	assert.Equal(t, NewObject("n", 1.0), x)
	l, _ := out.Get("list")
	assert.Equal(t, []any{2.0}, l)
}

type node struct {
	Next *node
}

func TestFromGoCycleIsError(t *testing.T) {
	n := &node{}
	n.Next = n
	_, err := FromGo(n)
	assert.ErrorContains(t, err, "cycle")

	m := map[string]any{}
	m["m"] = m
	_, err = FromGo(m)
	assert.ErrorContains(t, err, "cycle")
}

func TestFromGoSharedGoPointer(t *testing.T) {
	d := &Deep{D: 1}
	got, err := FromGo([]*Deep{d, d})
	require.NoError(t, err)
	l := got.([]any)
	assert.Same(t, l[0], l[1])
}

func TestFromGoUnsupported(t *testing.T) {
	for _, v := range []any{make(chan int), func() {}, complex(1, 2), struct{ F func() }{}} {
		_, err := FromGo(v)
		assert.ErrorContains(t, err, "cannot convert", "%T", v)
	}
	_, err := FromGo(complex64(1))
	assert.ErrorContains(t, err, "complex64")
}
