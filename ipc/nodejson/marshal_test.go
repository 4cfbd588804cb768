package nodejson

import (
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

func TestMarshalGoValues(t *testing.T) {
	type inner struct {
		N int `json:"n"`
	}
	type msg struct {
		Cmd   string         `js:"cmd"`
		Data  []int          `json:"data"`
		Opt   *inner         `json:"opt,omitempty"`
		When  time.Time      `json:"when"`
		Map   map[int]string `json:"map"`
		Skip  string         `json:"-"`
		inner                // promoted
	}
	v := msg{Cmd: "<go>&", Data: []int{1, 2}, When: time.Unix(0, 1999999).UTC(),
		Map: map[int]string{10: "x", 9: "y", -1: "z"}, inner: inner{N: 3}}
	got, err := Marshal(v)
	require.NoError(t, err)
	assert.Equal(t, `{"cmd":"<go>&","data":[1,2],"when":"1970-01-01T00:00:00.001Z","map":{"9":"y","10":"x","-1":"z"},"n":3}`, string(got))
}

func TestMarshalSpecialValues(t *testing.T) {
	fn := func() {}
	cases := []struct {
		v    any
		want string
	}{
		{jsvalue.NewObject("b", 1, "2", jsvalue.Undefined{}, "1", fn, "a", 2), `{"b":1,"a":2}`},
		{[]any{jsvalue.Undefined{}, fn, jsvalue.Hole{}}, `[null,null,null]`},
		{jsvalue.TypedArray{Kind: jsvalue.KindFloat16, Data: []byte{0x00, 0x3c, 0x00, 0xc0}}, `{"0":1,"1":-2}`},
		{jsvalue.TypedArray{Kind: jsvalue.KindBigInt64}, `{}`},
		{jsvalue.URL{Href: "https://x/"}, `"https://x/"`},
		{jsvalue.Boxed{Value: "s"}, `"s"`},
		{&jsvalue.Error{Message: "m"}, `{}`},
		{time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC), `"-000001-01-01T00:00:00.000Z"`},
		{time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), `"+010000-01-01T00:00:00.000Z"`},
		{time.Date(300000, 1, 1, 0, 0, 0, 0, time.UTC), `null`},
		{&jsvalue.SparseArray{Length: 3, Elements: []jsvalue.Element{{Index: 1, Value: "x"}}}, `[null,"x",null]`},
		{"\x00\x1f\x7f\u2028\xff", "\"\\u0000\\u001f\x7f\u2028\uFFFD\""},
		{"\xed\xa0\xbd\xed\xb8\x80", `"😀"`}, // a surrogate pair written as two WTF-8 halves
		{map[string]any{"z": 1, "10": 2, "9": 3}, `{"9":3,"10":2,"z":1}`},
	}
	for _, c := range cases {
		got, err := Marshal(c.v)
		require.NoError(t, err, "%#v", c.v)
		assert.Equal(t, c.want, string(got), "%#v", c.v)
	}
}

func TestMarshalErrors(t *testing.T) {
	o := jsvalue.NewObject("a", 1)
	o.Set("self", jsvalue.NewObject("o", o))
	_, err := Marshal(o)
	assert.ErrorContains(t, err, "Converting circular structure to JSON")

	l := []any{nil}
	l[0] = l
	_, err = Marshal(l)
	assert.ErrorContains(t, err, "circular")

	_, err = Marshal([]any{big.NewInt(1)})
	var ue *UnsupportedValueError
	assert.ErrorAs(t, err, &ue)

	_, err = Marshal(jsvalue.Undefined{})
	assert.ErrorIs(t, err, ErrUndefined)
	_, err = Marshal(func() {})
	assert.ErrorIs(t, err, ErrUndefined)
	_, err = Marshal(make(chan int))
	assert.ErrorContains(t, err, "chan int")
	_, err = Marshal(&jsvalue.SparseArray{Length: 1 << 30})
	assert.ErrorAs(t, err, &ue)
}

func TestUnmarshal(t *testing.T) {
	var v struct {
		Cmd  string  `json:"cmd"`
		Args []int64 `json:"args"`
		Buf  []byte  `json:"buf"`
	}
	require.NoError(t, Unmarshal([]byte(`{"cmd":"go","args":[1,-2],"buf":{"type":"Buffer","data":[255]}}`), &v))
	assert.Equal(t, "go", v.Cmd)
	assert.Equal(t, []int64{1, -2}, v.Args)
	assert.Equal(t, []byte{255}, v.Buf)
	var ae *jsvalue.AssignError
	assert.ErrorAs(t, Unmarshal([]byte(`{"args":[1.5]}`), &v), &ae)
	var se *SyntaxError
	assert.ErrorAs(t, Unmarshal([]byte(`{"args":[1.5]`), &v), &se)
}
