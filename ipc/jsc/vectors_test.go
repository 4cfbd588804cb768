package jsc

import (
	"bufio"
	"bytes"
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

type vector struct {
	expr string // the JavaScript expression Bun serialized
	data []byte // what bun:jsc's serialize returned
}

// loadVectors reads testdata/bun-vectors.tsv, written by
// testdata/generate.js under Bun 1.4.5: an expression, a tab, the bytes.
func loadVectors(tb testing.TB) []vector {
	tb.Helper()
	f, err := os.Open("testdata/bun-vectors.tsv")
	require.NoError(tb, err)
	defer f.Close()
	var vs []vector
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		expr, hx, ok := strings.Cut(sc.Text(), "\t")
		require.True(tb, ok, "bad vector line %q", sc.Text())
		data, err := hex.DecodeString(strings.ReplaceAll(hx, " ", ""))
		require.NoError(tb, err, expr)
		vs = append(vs, vector{expr, data})
	}
	require.NoError(tb, sc.Err())
	require.NotEmpty(tb, vs)
	return vs
}

// decodeOnly lists vectors whose bytes Marshal cannot reproduce from the
// model, with the reason; they must still decode, and the model must
// survive Marshal and Decode.
var decodeOnly = map[string]string{
	`(()=>{const e=new Error("boom");e.stack="Error: boom\n    at v";return e})()`:               "Error position",
	`(()=>{const e=new EvalError("e");e.stack="s";return e})()`:                                  "Error position",
	`(()=>{const e=new RangeError("r");e.stack="s";return e})()`:                                 "Error position",
	`(()=>{const e=new ReferenceError("r");e.stack="s";return e})()`:                             "Error position",
	`(()=>{const e=new SyntaxError("s");e.stack="s";return e})()`:                                "Error position",
	`(()=>{const e=new TypeError("t");e.stack="s";return e})()`:                                  "Error position",
	`(()=>{const e=new URIError("u");e.stack="s";return e})()`:                                   "Error position",
	`(()=>{const e=new Error();delete e.stack;return e})()`:                                      "Error position",
	`(()=>{const e=new Error("c",{cause:1});delete e.stack;return e})()`:                         "Error position",
	`(()=>{const e=new TypeError("x");e.stack="s";return {e,f:[e]}})()`:                          "Error position",
	`(()=>{const b=new ArrayBuffer(8);return [new Uint8Array(b,2,2),new DataView(b)]})()`:        "the buffer is not in the model",
	`new Uint8Array(new ArrayBuffer(8),2,4)`:                                                     "the buffer is not in the model",
	`[1,2.5,"a"]`:                                                                                "JavaScriptCore held 1 as an int32 in storage it reads back as double",
	`JSON.parse('[1,2.5,\"a\"]')`:                                                                "JavaScriptCore held 1 as an int32 in storage it reads back as double",
	`(()=>{const d=new Date(0),r=/x/g,o={};return [d,r,o,d,r,o]})()`:                             "Date and RegExp have no identity",
	`(()=>{const n=new Number(1);return [n,n]})()`:                                               "Boxed has no identity",
	`(()=>{const b=new ArrayBuffer(16);return [new Uint8Array(b,4,4),new Uint8Array(b,4,4)]})()`: "equal views are one in the model",
}

// Every vector decodes, and the decoded value encodes to the same bytes.
func TestVectorsRoundTrip(t *testing.T) {
	for _, v := range loadVectors(t) {
		got, err := Decode(v.data)
		if !assert.NoError(t, err, v.expr) {
			continue
		}
		out, err := Marshal(got)
		if !assert.NoError(t, err, "%s: Marshal(%#v)", v.expr, got) {
			continue
		}
		if _, ok := decodeOnly[v.expr]; ok {
			again, err := Decode(out)
			if assert.NoError(t, err, v.expr) {
				out2, err := Marshal(again)
				assert.NoError(t, err, v.expr)
				assert.Equal(t, hex.EncodeToString(out), hex.EncodeToString(out2), "%s: second round trip", v.expr)
			}
			continue
		}
		assert.Equal(t, hex.EncodeToString(v.data), hex.EncodeToString(out), "%s: decoded %#v", v.expr, got)
	}
}

// vectorModels is the model some of the vectors' bytes decode to.
var vectorModels = map[string]any{
	"undefined":                        jsvalue.Undefined{},
	"null":                             nil,
	"true":                             true,
	"0":                                0.0,
	"-1":                               -1.0,
	"2**31":                            2147483648.0,
	"1.5":                              1.5,
	"Infinity":                         math.Inf(1),
	`""`:                               "",
	`"é"`:                              "é",
	`"😀"`:                              "😀",
	`"\ud800"`:                         "\xed\xa0\x80",
	`({"1":"a",b:2,"0":3})`:            jsvalue.NewObject("0", 3.0, "1", "a", "b", 2.0),
	`({"":1})`:                         jsvalue.NewObject("", 1.0),
	`[1,2,3]`:                          []any{1.0, 2.0, 3.0},
	`[1,,3]`:                           &jsvalue.SparseArray{Length: 3, Elements: []jsvalue.Element{{Index: 0, Value: 1.0}, {Index: 2, Value: 3.0}}},
	`new Array(3)`:                     &jsvalue.SparseArray{Length: 3},
	`Object.assign([1,2],{k:"v"})`:     &jsvalue.Array{Elements: []any{1.0, 2.0}, Props: []jsvalue.Property{{Key: "k", Value: "v"}}},
	`[undefined,null]`:                 []any{jsvalue.Undefined{}, nil},
	`new Date(1700000000123)`:          time.UnixMilli(1700000000123).UTC(),
	`new Date(NaN)`:                    jsvalue.InvalidDate{},
	`/ab/gimsuy`:                       jsvalue.RegExp{Source: "ab", Flags: "gimsuy"},
	`/a/dv`:                            jsvalue.RegExp{Source: "a", Flags: "dv"},
	`new Map([[1,"x"],["k",{}]])`:      &jsvalue.Map{Entries: []jsvalue.Entry{{Key: 1.0, Value: "x"}, {Key: "k", Value: &jsvalue.Object{}}}},
	`new Set(["y",1,null])`:            &jsvalue.Set{Values: []any{"y", 1.0, nil}},
	`new ArrayBuffer(4)`:               jsvalue.ArrayBuffer{0, 0, 0, 0},
	`new Uint8Array([1,2])`:            jsvalue.TypedArray{Kind: jsvalue.KindUint8, Data: []byte{1, 2}},
	`Buffer.from("hi")`:                jsvalue.TypedArray{Kind: jsvalue.KindUint8, Data: []byte("hi")},
	`new Int16Array([-2])`:             jsvalue.TypedArray{Kind: jsvalue.KindInt16, Data: []byte{0xfe, 0xff}},
	`new Float16Array([1.5])`:          jsvalue.TypedArray{Kind: jsvalue.KindFloat16, Data: []byte{0x00, 0x3e}},
	`new DataView(new ArrayBuffer(3))`: jsvalue.TypedArray{Kind: jsvalue.KindDataView, Data: []byte{0, 0, 0}},
	`0n`:                               new(big.Int),
	`-(2n**64n)`:                       new(big.Int).Neg(new(big.Int).Lsh(big.NewInt(1), 64)),
	`new Number(2)`:                    jsvalue.Boxed{Value: 2.0},
	`new String("")`:                   jsvalue.Boxed{Value: ""},
	`new String("s")`:                  jsvalue.Boxed{Value: "s"},
	`new Boolean(false)`:               jsvalue.Boxed{Value: false},
	`Object(5n)`:                       jsvalue.Boxed{Value: big.NewInt(5)},
	`(()=>{const e=new RangeError("r");e.stack="s";return e})()`:         &jsvalue.Error{Name: "RangeError", Message: "r", Stack: "s", HasStack: true},
	`(()=>{const e=new Error();delete e.stack;return e})()`:              &jsvalue.Error{Name: "Error"},
	`(()=>{const e=new Error("c",{cause:1});delete e.stack;return e})()`: &jsvalue.Error{Name: "Error", Message: "c"},
	`new (class A{constructor(){this.z=1}})()`:                           jsvalue.NewObject("z", 1.0),
}

// The model Bun's bytes decode to.
func TestVectorsModel(t *testing.T) {
	want := vectorModels
	found := 0
	for _, v := range loadVectors(t) {
		w, ok := want[v.expr]
		if !ok {
			continue
		}
		found++
		got, err := Decode(v.data)
		require.NoError(t, err, v.expr)
		assert.Equal(t, w, got, v.expr)
	}
	assert.Equal(t, len(want), found, "expressions of the table missing from the vectors")
}

// Shared and circular structures keep their shape.
func TestVectorsIdentity(t *testing.T) {
	byExpr := map[string][]byte{}
	for _, v := range loadVectors(t) {
		byExpr[v.expr] = v.data
	}
	dec := func(expr string) any {
		t.Helper()
		data, ok := byExpr[expr]
		require.True(t, ok, expr)
		v, err := Decode(data)
		require.NoError(t, err, expr)
		return v
	}
	o := dec(`(()=>{const o={x:1};return {p:o,q:o}})()`).(*jsvalue.Object)
	p, _ := o.Get("p")
	q, _ := o.Get("q")
	assert.Same(t, p.(*jsvalue.Object), q.(*jsvalue.Object))

	self := dec(`(()=>{const o={};o.self=o;return o})()`).(*jsvalue.Object)
	s, _ := self.Get("self")
	assert.Same(t, self, s.(*jsvalue.Object))

	a := dec(`(()=>{const a=[];a.push(a);return a})()`).(*jsvalue.Array)
	assert.Same(t, a, a.Elements[0].(*jsvalue.Array))

	sparse := dec(`(()=>{const a=[1];a[3]=a;return a})()`).(*jsvalue.Array)
	assert.Equal(t, []any{1.0, jsvalue.Hole{}, jsvalue.Hole{}, sparse}, sparse.Elements)

	m := dec(`(()=>{const m=new Map();m.set(m,m);return m})()`).(*jsvalue.Map)
	assert.Same(t, m, m.Entries[0].Key.(*jsvalue.Map))
	assert.Same(t, m, m.Entries[0].Value.(*jsvalue.Map))

	big := dec(`(()=>{const os=Array.from({length:300},()=>({}));return [os,os[0],os[299]]})()`).([]any)
	os := big[0].([]any)
	assert.Same(t, os[0].(*jsvalue.Object), big[1].(*jsvalue.Object))
	assert.Same(t, os[299].(*jsvalue.Object), big[2].(*jsvalue.Object))

	errs := dec(`(()=>{const e=new TypeError("x");e.stack="s";return {e,f:[e]}})()`).(*jsvalue.Object)
	e, _ := errs.Get("e")
	f, _ := errs.Get("f")
	assert.Same(t, e.(*jsvalue.Error), f.([]any)[0].(*jsvalue.Error), "an Error takes a pool slot and is referred back to")

	strs := dec(`Array.from({length:300},(_,i)=>"s"+i).concat(["s0","s299"])`).([]any)
	assert.Equal(t, "s0", strs[300])
	assert.Equal(t, "s299", strs[301])

	views := dec(`(()=>{const b=new ArrayBuffer(8);return [new Uint8Array(b,2,2),new DataView(b),b]})()`).([]any)
	ab := views[2].(jsvalue.ArrayBuffer)
	ab[2] = 9
	assert.Equal(t, byte(9), views[0].(jsvalue.TypedArray).Data[0], "the view shares the buffer's memory")
	assert.Equal(t, byte(9), views[1].(jsvalue.TypedArray).Data[2], "the DataView shares the buffer's memory")
	assert.Len(t, views[0].(jsvalue.TypedArray).Data, 2)
}

// Bun's IPC frames (captured from a Bun parent in advanced mode) carry
// exactly the bytes of serialize: 0x02, a little-endian 32-bit length, the
// serialized value; the stream opens with the version packet 01 02 00 00 00.
func TestBunIPCFramePayload(t *testing.T) {
	capture, err := hex.DecodeString("010200000002180000000e000000020500008068656c6c6f100100008078ffffffff")
	require.NoError(t, err)
	require.True(t, bytes.HasPrefix(capture, []byte{1, 2, 0, 0, 0, 2, 0x18, 0, 0, 0}))
	v, err := Decode(capture[10:])
	require.NoError(t, err)
	assert.Equal(t, jsvalue.NewObject("hello", "x"), v)
	b, err := Marshal(jsvalue.NewObject("hello", "x"))
	require.NoError(t, err)
	assert.Equal(t, capture[10:], b)
}
