package main

import (
	"math"
	"math/big"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

// Every annotated form reads into the value it stands for and writes back
// as the same text.
func TestTypedJSONRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		text string
		want any
	}{
		{`{"$type":"undefined"}`, jsvalue.Undefined{}},
		{`{"$type":"bigint","value":"-5"}`, big.NewInt(-5)},
		{`{"$type":"number","value":"Infinity"}`, math.Inf(1)},
		{`{"$type":"Date","value":"2024-01-02T03:04:05.678Z"}`, time.Date(2024, 1, 2, 3, 4, 5, 678e6, time.UTC)},
		{`{"$type":"Date","value":null}`, jsvalue.InvalidDate{}},
		{`{"$type":"RegExp","source":"a","flags":"g"}`, jsvalue.RegExp{Source: "a", Flags: "g"}},
		{`{"$type":"Buffer","base64":"AQI="}`, []byte{1, 2}},
		{`{"$type":"ArrayBuffer","base64":"AQI="}`, jsvalue.ArrayBuffer{1, 2}},
		{`{"$type":"Int16Array","base64":"AQI="}`, jsvalue.TypedArray{Kind: jsvalue.KindInt16, Data: []byte{1, 2}}},
		{`{"$type":"URL","href":"http://x/"}`, jsvalue.URL{Href: "http://x/"}},
		{`{"$type":"Boxed","value":1}`, jsvalue.Boxed{Value: 1.0}},
		{`[1,{"$type":"hole"},3]`, []any{1.0, jsvalue.Hole{}, 3.0}},
		{`{"$type":"Map","entries":[[1,"a"]]}`, &jsvalue.Map{Entries: []jsvalue.Entry{{Key: 1.0, Value: "a"}}}},
		{`{"$type":"Set","values":[true]}`, &jsvalue.Set{Values: []any{true}}},
		{`{"$type":"Array","elements":[1],"props":{"x":2}}`, &jsvalue.Array{Elements: []any{1.0}, Props: []jsvalue.Property{{Key: "x", Value: 2.0}}}},
		{`{"$type":"SparseArray","length":9,"elements":{"4":"e"},"props":{}}`,
			&jsvalue.SparseArray{Length: 9, Elements: []jsvalue.Element{{Index: 4, Value: "e"}}, Props: []jsvalue.Property{}}},
		{`{"$type":"Error","name":"Error","message":"m","cause":{"$type":"undefined"}}`,
			&jsvalue.Error{Name: "Error", Message: "m", Cause: jsvalue.Undefined{}, HasCause: true}},
		{`{"$type":"object","value":{"$type":1}}`, jsvalue.NewObject("$type", 1.0)},
		{`{"z":1,"a":[null,"s"]}`, jsvalue.NewObject("z", 1.0, "a", []any{nil, "s"})},
	} {
		v, err := readTypedJSON([]byte(tc.text))
		require.NoError(t, err, tc.text)
		assert.Equal(t, tc.want, v, tc.text)
		out, err := typedJSON(v)
		require.NoError(t, err, tc.text)
		assert.Equal(t, tc.text, string(out))
	}
}

// A cycle is written as {"$type":"circular"} instead of looping.
func TestTypedJSONCycle(t *testing.T) {
	o := jsvalue.NewObject("a", 1.0)
	o.Set("self", o)
	out, err := typedJSON([]any{o, o})
	require.NoError(t, err)
	assert.Equal(t, `[{"a":1,"self":{"$type":"circular"}},{"a":1,"self":{"$type":"circular"}}]`, string(out))
}

// Malformed annotations are errors that say what is wrong.
func TestTypedJSONBadInput(t *testing.T) {
	for text, says := range map[string]string{
		`{"$type":"bigint","value":"1.5"}`:             "not a decimal integer",
		`{"$type":"nope"}`:                             "unknown type",
		`{"$type":7}`:                                  "not a type's name",
		`{"$type":"Buffer","base64":"!!"}`:             "not base64",
		`{"$type":"Uint32Array","base64":"AQI="}`:      "not whole Uint32Array elements",
		`{"$type":"Map","entries":[[1]]}`:              "[key, value] pairs",
		`{"$type":"SparseArray","length":-1}`:          "array length",
		`{"x":[{"$type":"Date","value":"yesterday"}]}`: "cannot parse",
		`{"a":`: "",
	} {
		_, err := readTypedJSON([]byte(text))
		require.Error(t, err, text)
		assert.Contains(t, err.Error(), says, text)
	}
}

func regexpMatch(t *testing.T, pattern, s string) []string {
	t.Helper()
	m := regexp.MustCompile(pattern).FindStringSubmatch(s)
	require.NotNil(t, m, "%q does not match %s", s, pattern)
	return m
}
