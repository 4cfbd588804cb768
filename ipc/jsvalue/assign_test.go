package jsvalue

import (
	"errors"
	"math"
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type msg struct {
	ID    int            `json:"id"`
	Name  string         `js:"name"`
	Tags  []string       `json:"tags"`
	Ratio float32        `json:"ratio"`
	When  time.Time      `json:"when"`
	Big   *big.Int       `json:"big"`
	Raw   []byte         `json:"raw"`
	Extra map[string]any `json:"extra"`
	Ptr   *Inner         `json:"ptr"`
	Any   any            `json:"any"`
}

func TestAssignStruct(t *testing.T) {
	when := time.Date(2024, 1, 2, 3, 4, 5, 6e6, time.UTC)
	src := NewObject(
		"ID", 7.0, // case-insensitive fallback
		"name", "n",
		"tags", []any{"a", "b"},
		"ratio", 0.5,
		"when", "2024-01-02T03:04:05.006Z",
		"big", big.NewInt(1<<62),
		"raw", NewObject("type", "Buffer", "data", []any{1.0, 2.0}),
		"extra", NewObject("k", Undefined{}),
		"ptr", NewObject("a", 3.0, "bee", "x"),
		"any", NewObject("z", 1.0),
		"unknown", 1.0,
	)
	var m msg
	require.NoError(t, Assign(src, &m))
	assert.Equal(t, 7, m.ID)
	assert.Equal(t, "n", m.Name)
	assert.Equal(t, []string{"a", "b"}, m.Tags)
	assert.Equal(t, float32(0.5), m.Ratio)
	assert.True(t, when.Equal(m.When))
	assert.Equal(t, big.NewInt(1<<62), m.Big)
	assert.Equal(t, []byte{1, 2}, m.Raw)
	assert.Equal(t, map[string]any{"k": Undefined{}}, m.Extra)
	assert.Equal(t, &Inner{A: 3, B: "x"}, m.Ptr)
	assert.Equal(t, map[string]any{"z": 1.0}, m.Any)
}

func TestAssignNumbers(t *testing.T) {
	var i8 int8
	require.NoError(t, Assign(-128.0, &i8))
	assert.Equal(t, int8(-128), i8)

	err := Assign(128.0, &i8)
	var ae *AssignError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "out of range", ae.Msg)

	var u uint
	assert.ErrorContains(t, Assign(-1.0, &u), "out of range")
	assert.ErrorContains(t, Assign(1.5, &u), "not an integer")
	assert.ErrorContains(t, Assign(math.NaN(), &u), "not an integer")
	assert.ErrorContains(t, Assign(math.Inf(1), &u), "out of range")
	var i64 int64
	assert.ErrorContains(t, Assign(9223372036854775808.0, &i64), "out of range")
	require.NoError(t, Assign(new(big.Int).SetInt64(math.MinInt64), &i64))
	assert.Equal(t, int64(math.MinInt64), i64)
	var f32 float32
	assert.ErrorContains(t, Assign(1e300, &f32), "out of range")
	require.NoError(t, Assign(Boxed{Value: 2.0}, &f32))
	assert.Equal(t, float32(2), f32)
}

func TestAssignPath(t *testing.T) {
	src := NewObject("a", []any{0.0, 0.0, 0.0, NewObject("b", "str")})
	var dst struct {
		A []struct{ B int } `json:"a"`
	}
	err := Assign(src, &dst)
	var ae *AssignError
	require.True(t, errors.As(err, &ae))
	assert.Equal(t, ".a[0]", ae.Path, "0.0 into a struct fails first")

	var dst2 struct {
		A []map[string]int `json:"a"`
	}
	src = NewObject("a", []any{NewObject(), NewObject("b", "x")})
	err = Assign(src, &dst2)
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, ".a[1].b", ae.Path)
	assert.Equal(t, "jsvalue: cannot assign string to Go value of type int at .a[1].b", err.Error())
}

func TestAssignNullLeavesValue(t *testing.T) {
	n := 5
	require.NoError(t, Assign(nil, &n))
	assert.Equal(t, 5, n)
	require.NoError(t, Assign(Undefined{}, &n))
	assert.Equal(t, 5, n)
	p := &n
	require.NoError(t, Assign(nil, &p))
	assert.Nil(t, p)
	var a any = 1
	require.NoError(t, Assign(Undefined{}, &a))
	assert.Equal(t, Undefined{}, a)
}

func TestAssignCollections(t *testing.T) {
	var arr [3]int
	require.NoError(t, Assign([]any{1.0, 2.0}, &arr))
	assert.Equal(t, [3]int{1, 2, 0}, arr)

	var s []int
	require.NoError(t, Assign(&SparseArray{Length: 3, Elements: []Element{{Index: 1, Value: 4.0}}}, &s))
	assert.Equal(t, []int{0, 4, 0}, s)

	var mi map[int]string
	require.NoError(t, Assign(NewObject("1", "a", "-2", "b"), &mi))
	assert.Equal(t, map[int]string{1: "a", -2: "b"}, mi)
	assert.ErrorContains(t, Assign(NewObject("x", "a"), &mi), "key is not an integer")

	var mm map[float64]bool
	require.NoError(t, Assign(&Map{Entries: []Entry{{Key: 1.5, Value: true}}}, &mm))
	assert.Equal(t, map[float64]bool{1.5: true}, mm)

	var b []byte
	require.NoError(t, Assign(TypedArray{Kind: KindUint8, Data: []byte{9}}, &b))
	assert.Equal(t, []byte{9}, b)
	require.NoError(t, Assign(ArrayBuffer{8}, &b))
	assert.Equal(t, []byte{8}, b)
}

func TestAssignBadDestination(t *testing.T) {
	var n int
	var ae *AssignError
	require.ErrorAs(t, Assign(1.0, n), &ae)
	assert.Contains(t, ae.Error(), "non-nil pointer")
	require.ErrorAs(t, Assign(1.0, nil), &ae)
	require.ErrorAs(t, Assign("x", &n), &ae)
	var e error
	require.NoError(t, Assign(&Error{Message: "m"}, &e))
	assert.EqualError(t, e, "Error: m")
	assert.ErrorAs(t, Assign(1.0, &e), &ae)
}

func TestRoundTripFromGoAssign(t *testing.T) {
	in := msg{ID: 1, Name: "x", Tags: []string{"t"}, Ratio: 0.25, When: time.Unix(5, 0).UTC(),
		Big: big.NewInt(3), Raw: []byte{1}, Extra: map[string]any{"k": "v"}, Ptr: &Inner{A: 1, B: "b"}, Any: true}
	model, err := FromGo(in)
	require.NoError(t, err)
	var out msg
	require.NoError(t, Assign(model, &out))
	assert.Equal(t, in, out)
}
