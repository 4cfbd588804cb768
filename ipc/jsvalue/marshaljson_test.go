package jsvalue

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// A received object prints and marshals as the JSON the peer would see,
// keys in order, not as the model's Go struct.
func TestObjectPrintsAndMarshalsAsJSON(t *testing.T) {
	o := NewObject("job", 1.0, "tags", []any{"a", NewObject("b", true)}, "gone", Undefined{})
	want := `{"job":1,"tags":["a",{"b":true}]}`
	b, err := json.Marshal(o)
	require.NoError(t, err)
	require.Equal(t, want, string(b))
	require.Equal(t, want, fmt.Sprint(o))
	b, err = json.Marshal(map[string]any{"m": o})
	require.NoError(t, err)
	require.Equal(t, `{"m":`+want+`}`, string(b))
}

// Every type of the model marshals as JSON.stringify writes it, and prints
// readably: JSON text for plain data, JavaScript's console form for the rest.
func TestEveryTypePrintsAndMarshals(t *testing.T) {
	u16 := TypedArray{Kind: KindUint16, Data: []byte{1, 0, 2, 0}}
	cases := []struct {
		v        any
		json     string
		readable string
	}{
		{&Array{Elements: []any{1.0, Hole{}, "x"}, Props: []Property{{"name", true}}}, `[1,null,"x"]`, `[1,,"x","name":true]`},
		{&SparseArray{Length: 5, Elements: []Element{{3, 7.0}}}, `[null,null,null,7,null]`, `[<3 empty items>,7,<1 empty items>]`},
		{&Map{Entries: []Entry{{"a", 1.0}, {2.0, NewObject("b", nil)}}}, `{}`, `Map(2) {"a" => 1, 2 => {"b":null}}`},
		{&Set{Values: []any{1.0, "s"}}, `{}`, `Set(2) {1, "s"}`},
		{RegExp{Source: "a+", Flags: "g"}, `{}`, `/a+/g`},
		{Boxed{Value: 1.5}, `1.5`, `[Number: 1.5]`},
		{Boxed{Value: "s"}, `"s"`, `[String: "s"]`},
		{ArrayBuffer{0x01, 0xab}, `{}`, `ArrayBuffer(2) <01 ab>`},
		{URL{Href: "file:///x"}, `"file:///x"`, `URL "file:///x"`},
		{u16, `{"0":1,"1":2}`, `Uint16Array(2) [1,2]`},
		{TypedArray{Kind: KindDataView, Data: []byte{9}}, `{}`, `DataView(1) <09>`},
		{&Error{Name: ErrorNameTypeError, Message: "bad"}, `{}`, `TypeError: bad`},
		{Undefined{}, `null`, `undefined`},
		{Hole{}, `null`, `<empty>`},
		{InvalidDate{}, `null`, `Invalid Date`},
	}
	for _, c := range cases {
		b, err := json.Marshal(c.v)
		require.NoError(t, err, "%T", c.v)
		require.Equal(t, c.json, string(b), "%T", c.v)
		require.Equal(t, c.readable, fmt.Sprint(c.v), "%T", c.v)
	}
}

// Inside an object, the nested values print readably too, and JSON keeps
// JavaScript's key order (index keys first).
func TestNestedValuesPrintAndMarshal(t *testing.T) {
	big1, _ := new(big.Int).SetString("12345678901234567890", 10)
	o := NewObject("b", 1.0, "1", math.NaN(), "m", &Map{Entries: []Entry{{"k", big1}}},
		"d", time.Date(2024, 1, 2, 3, 4, 5, 6e6, time.UTC), "buf", []byte{1, 2}, "u", Undefined{})
	b, err := json.Marshal(o)
	require.NoError(t, err)
	require.Equal(t, `{"1":null,"b":1,"m":{},"d":"2024-01-02T03:04:05.006Z","buf":{"type":"Buffer","data":[1,2]}}`, string(b))
	require.Equal(t, `{"b":1,"1":NaN,"m":Map(1) {"k" => 12345678901234567890n},"d":2024-01-02T03:04:05.006Z,"buf":<Buffer 01 02>}`, o.String())

	_, err = json.Marshal(big1) // a BigInt alone is encoding/json's own business
	require.NoError(t, err)
	_, err = json.Marshal(&Set{Values: []any{big1}})
	require.NoError(t, err, "a Set is {} whatever it holds")
	_, err = json.Marshal(Boxed{Value: big1})
	require.Error(t, err, "JSON.stringify throws on a BigInt")
}

// A cyclic value prints, cut at a depth, and its JSON is an error as
// JSON.stringify throws.
func TestCyclicValuePrints(t *testing.T) {
	o := NewObject("a", 1.0)
	o.Set("self", o)
	require.Contains(t, o.String(), `{"a":1,"self":{"a":1,"self":`)
	require.Contains(t, o.String(), "…")
	_, err := json.Marshal(o)
	require.Error(t, err)
}
