package structuredclone

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"math/rand"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

// jsGen generates a random value twice over: as a Go model value and as
// JavaScript source that builds the same value, so that bare can serialize
// it independently. Values stay within what bare-structured-clone 1.x can
// carry: fewer than 253 objects, no shared Date/RegExp/URL/view (Go has no
// identity for them), no lone surrogates, views over whole buffers of their
// own.
type jsGen struct {
	r      *rand.Rand
	stmts  []string
	vars   int
	ids    int
	unique int
	pool   []shared // objects that may be met again
	quirky bool     // holds a cause or a URIError, which bare 1.x changes on decode
}

type shared struct {
	v  any
	js string
}

// idBudget keeps values below bare-structured-clone 1.x's 253-object limit.
const idBudget = 200

func newGen(seed int64) *jsGen { return &jsGen{r: rand.New(rand.NewSource(seed))} }

// generate returns a value and JavaScript source evaluating to it.
func (g *jsGen) generate() (any, string) {
	g.stmts, g.vars, g.ids, g.pool, g.quirky = g.stmts[:0], 0, 0, g.pool[:0], false
	v, expr := g.value(0, false)
	return v, "(() => {\n" + strings.Join(g.stmts, "\n") + "\nreturn " + expr + "\n})()"
}

func (g *jsGen) emit(format string, args ...any) {
	g.stmts = append(g.stmts, fmt.Sprintf(format, args...))
}

func (g *jsGen) newVar(prefix string) string {
	g.vars++
	return prefix + strconv.Itoa(g.vars)
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func (g *jsGen) value(depth int, noShare bool) (any, string) {
	if !noShare && len(g.pool) > 0 && g.r.Intn(10) == 0 {
		p := g.pool[g.r.Intn(len(g.pool))]
		return p.v, p.js
	}
	if depth >= 5 || g.ids >= idBudget {
		return g.primitive()
	}
	n := g.r.Intn(20)
	if depth == 0 {
		n = 8 + g.r.Intn(12)
	}
	switch n {
	case 8:
		return g.date()
	case 9:
		return g.regexp()
	case 10:
		return g.error(depth)
	case 11:
		b := g.bytes(1)
		g.ids++
		return jsvalue.ArrayBuffer(b), "new Uint8Array(" + jsBytes(b) + ").buffer"
	case 12:
		return g.typedArray()
	case 13:
		b := g.bytes(1)
		g.ids += 2
		return jsvalue.TypedArray{Kind: jsvalue.KindDataView, Data: b}, "new DataView(new Uint8Array(" + jsBytes(b) + ").buffer)"
	case 14:
		b := g.bytes(1)
		g.ids += 2
		return b, "Buffer.from(new Uint8Array(" + jsBytes(b) + ").buffer)"
	case 15:
		g.ids++
		href := urls[g.r.Intn(len(urls))]
		return jsvalue.URL{Href: href}, "new URL(" + jsString(href) + ")"
	case 16:
		return g.mapValue(depth)
	case 17:
		return g.setValue(depth)
	case 18:
		return g.array(depth)
	case 19:
		return g.object(depth)
	}
	return g.primitive()
}

var urls = []string{"http://a/", "https://example.com/x/y?z=1#frag", "file:///tmp/a%20b", "http://[::1]:8080/p"}

func (g *jsGen) primitive() (any, string) {
	switch g.r.Intn(9) {
	case 0:
		return jsvalue.Undefined{}, "undefined"
	case 1:
		return nil, "null"
	case 2:
		return true, "true"
	case 3:
		return false, "false"
	case 4, 5:
		return g.number()
	case 6:
		n := new(big.Int).Rand(g.r, new(big.Int).Lsh(big.NewInt(1), uint(1+g.r.Intn(200))))
		if g.r.Intn(2) == 0 {
			n.Neg(n)
		}
		return n, "(" + n.String() + "n)"
	}
	s := g.string()
	return s, jsString(s)
}

var specialNumbers = []float64{math.Copysign(0, -1), math.NaN(), math.Inf(1), math.Inf(-1), math.MaxFloat64,
	math.SmallestNonzeroFloat64, 1 << 53, -(1 << 53) - 2, 0.1, math.MaxInt32, math.MinInt32, math.MaxInt32 + 1}

func (g *jsGen) number() (any, string) {
	var f float64
	switch g.r.Intn(6) {
	case 0:
		f = float64(g.r.Intn(201) - 100)
	case 1:
		f = float64(int32(g.r.Uint32()))
	case 2:
		f = g.r.NormFloat64() * 1e6
	case 3:
		f = specialNumbers[g.r.Intn(len(specialNumbers))]
	case 4:
		f = math.Float64frombits(g.r.Uint64())
		if f != f {
			f = 0.5
		}
	default:
		f = float64(g.r.Intn(1000))
	}
	return f, jsNumber(f)
}

func jsNumber(f float64) string {
	switch {
	case f != f:
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "(-Infinity)"
	case f == 0 && math.Signbit(f):
		return "(-0)"
	}
	return "(" + strconv.FormatFloat(f, 'g', -1, 64) + ")"
}

var stringPieces = []string{"a", "Z", "0", " ", "é", "中", "😀", "\"", "\\", "\n", "\t", "\u2028", "\x00", "</script>", "hello", "ǅ"}

func (g *jsGen) string() string {
	var b strings.Builder
	for n := g.r.Intn(8); n > 0; n-- {
		b.WriteString(stringPieces[g.r.Intn(len(stringPieces))])
	}
	return b.String()
}

// uniquePrimitive returns a string or number not generated before in this
// value, for Map keys and Set values.
func (g *jsGen) uniquePrimitive() (any, string) {
	g.unique++
	if g.r.Intn(2) == 0 {
		return float64(g.unique), jsNumber(float64(g.unique))
	}
	s := "u" + strconv.Itoa(g.unique)
	return s, jsString(s)
}

func (g *jsGen) bytes(elem int) []byte {
	b := make([]byte, elem*g.r.Intn(7))
	g.r.Read(b)
	return b
}

func jsBytes(b []byte) string {
	parts := make([]string, len(b))
	for i, c := range b {
		parts[i] = strconv.Itoa(int(c))
	}
	return "[" + strings.Join(parts, ",") + "]"
}

func (g *jsGen) date() (any, string) {
	g.ids++
	ms := g.r.Int63n(2e13) - 1e13
	return time.UnixMilli(ms).UTC(), "new Date(" + strconv.FormatInt(ms, 10) + ")"
}

var patterns = []string{"a+", "^x$", "[0-9]{2,}", "(foo|bar)", `\d+\.\d*`, "é+", `\s`}

func (g *jsGen) regexp() (any, string) {
	g.ids++
	src := patterns[g.r.Intn(len(patterns))]
	var flags strings.Builder
	for _, f := range "dgimsuy" {
		if g.r.Intn(3) == 0 {
			flags.WriteRune(f)
		}
	}
	return jsvalue.RegExp{Source: src, Flags: flags.String()},
		"new RegExp(" + jsString(src) + ", " + jsString(flags.String()) + ")"
}

var errorNamesGen = []string{"Error", "TypeError", "RangeError", "EvalError", "ReferenceError", "SyntaxError", "URIError", "AggregateError"}

func (g *jsGen) error(depth int) (any, string) {
	g.ids++
	e := &jsvalue.Error{Name: errorNamesGen[g.r.Intn(len(errorNamesGen))], Message: g.string()}
	name := g.newVar("e")
	if e.Name == "AggregateError" {
		g.emit("const %s = new AggregateError([], %s)", name, jsString(e.Message))
	} else {
		g.emit("const %s = new %s(%s)", name, e.Name, jsString(e.Message))
	}
	if g.r.Intn(4) > 0 {
		e.Stack, e.HasStack = g.string(), true
		g.emit("%s.stack = %s", name, jsString(e.Stack))
	} else {
		g.emit("%s.stack = undefined", name)
	}
	if g.r.Intn(3) == 0 {
		v, js := g.value(depth+1, false)
		e.Cause, e.HasCause = v, true
		g.emit("%s.cause = %s", name, js)
	}
	if e.Name == "AggregateError" {
		for n := g.r.Intn(3); n > 0; n-- {
			v, js := g.value(depth+1, false)
			e.Errors = append(e.Errors, v)
			g.emit("%s.errors.push(%s)", name, js)
		}
	}
	g.quirky = g.quirky || e.HasCause || e.Name == "URIError"
	return e, name
}

var viewKinds = []struct {
	kind jsvalue.TypedArrayKind
	js   string
}{
	{jsvalue.KindInt8, "Int8Array"}, {jsvalue.KindUint8, "Uint8Array"}, {jsvalue.KindUint8Clamped, "Uint8ClampedArray"},
	{jsvalue.KindInt16, "Int16Array"}, {jsvalue.KindUint16, "Uint16Array"}, {jsvalue.KindInt32, "Int32Array"},
	{jsvalue.KindUint32, "Uint32Array"}, {jsvalue.KindFloat16, "Float16Array"}, {jsvalue.KindFloat32, "Float32Array"},
	{jsvalue.KindFloat64, "Float64Array"}, {jsvalue.KindBigInt64, "BigInt64Array"}, {jsvalue.KindBigUint64, "BigUint64Array"},
}

func (g *jsGen) typedArray() (any, string) {
	g.ids += 2
	k := viewKinds[g.r.Intn(len(viewKinds))]
	b := g.bytes(k.kind.ElementSize())
	return jsvalue.TypedArray{Kind: k.kind, Data: b}, "new " + k.js + "(new Uint8Array(" + jsBytes(b) + ").buffer)"
}

// container returns a new object, array, map or set (never a primitive that
// could equal another), for Map keys and Set values.
func (g *jsGen) container(depth int) (any, string) {
	if g.ids >= idBudget || depth >= 5 {
		return g.uniquePrimitive()
	}
	switch g.r.Intn(4) {
	case 0:
		return g.array(depth)
	case 1:
		return g.mapValue(depth)
	case 2:
		return g.setValue(depth)
	}
	return g.object(depth)
}

func (g *jsGen) mapValue(depth int) (any, string) {
	g.ids++
	m := &jsvalue.Map{}
	name := g.newVar("m")
	g.emit("const %s = new Map()", name)
	g.pool = append(g.pool, shared{m, name})
	for n := g.r.Intn(5); n > 0; n-- {
		var k any
		var kjs string
		if g.r.Intn(4) == 0 {
			k, kjs = g.container(depth + 1)
		} else {
			k, kjs = g.uniquePrimitive()
		}
		v, vjs := g.value(depth+1, false)
		m.Entries = append(m.Entries, jsvalue.Entry{Key: k, Value: v})
		g.emit("%s.set(%s, %s)", name, kjs, vjs)
	}
	return m, name
}

func (g *jsGen) setValue(depth int) (any, string) {
	g.ids++
	s := &jsvalue.Set{}
	name := g.newVar("s")
	g.emit("const %s = new Set()", name)
	g.pool = append(g.pool, shared{s, name})
	for n := g.r.Intn(5); n > 0; n-- {
		var v any
		var js string
		if g.r.Intn(3) == 0 {
			v, js = g.container(depth + 1)
		} else {
			v, js = g.uniquePrimitive()
		}
		s.Values = append(s.Values, v)
		g.emit("%s.add(%s)", name, js)
	}
	return s, name
}

var arrayPropNames = []string{"foo", "bar", "x y", "é", "", "-1", "01", "1.5", "4294967295", "constructor"}

func (g *jsGen) array(depth int) (any, string) {
	g.ids++
	name := g.newVar("a")
	length := g.r.Intn(7)
	if g.r.Intn(30) == 0 {
		length = 1000000
	}
	present := make([]bool, length)
	holes := false
	for i := range present {
		present[i] = length < 100 && g.r.Intn(6) > 0
		holes = holes || !present[i]
	}
	if length >= 100 {
		present[g.r.Intn(length)] = true
		present[length-1] = true
	}
	var propKeys []string
	if g.r.Intn(4) == 0 {
		for _, i := range g.r.Perm(len(arrayPropNames))[:1+g.r.Intn(3)] {
			propKeys = append(propKeys, arrayPropNames[i])
		}
	}
	g.emit("const %s = new Array(%d)", name, length)
	var v any
	var xs []any
	var sparse *jsvalue.SparseArray
	var arr *jsvalue.Array
	switch {
	case holes:
		sparse = &jsvalue.SparseArray{Length: uint32(length)}
		v = sparse
	case len(propKeys) > 0:
		xs = make([]any, length)
		arr = &jsvalue.Array{Elements: xs}
		v = arr
	default:
		xs = make([]any, length)
		v = xs
	}
	if length > 0 || arr != nil || sparse != nil {
		g.pool = append(g.pool, shared{v, name})
	}
	for i, p := range present {
		if !p {
			continue
		}
		e, js := g.value(depth+1, false)
		if sparse != nil {
			sparse.Elements = append(sparse.Elements, jsvalue.Element{Index: uint32(i), Value: e})
		} else {
			xs[i] = e
		}
		g.emit("%s[%d] = %s", name, i, js)
	}
	var props []jsvalue.Property
	for _, k := range propKeys {
		e, js := g.value(depth+1, false)
		props = append(props, jsvalue.Property{Key: k, Value: e})
		g.emit("%s[%s] = %s", name, jsString(k), js)
	}
	if sparse != nil {
		sparse.Props = props
	} else if arr != nil {
		arr.Props = props
	}
	return v, name
}

var objectKeys = []string{"a", "b", "type", "id", "x y", "é", "", "0", "1", "7", "10", "42", "01", "-1", "1.5", "4294967294", "4294967295", "constructor", "toString", "😀"}

func (g *jsGen) object(depth int) (any, string) {
	g.ids++
	o := &jsvalue.Object{}
	name := g.newVar("o")
	g.emit("const %s = {}", name)
	g.pool = append(g.pool, shared{o, name})
	n := g.r.Intn(6)
	var index, named []jsvalue.Property
	for _, i := range g.r.Perm(len(objectKeys))[:n] {
		k := objectKeys[i]
		v, js := g.value(depth+1, false)
		g.emit("%s[%s] = %s", name, jsString(k), js)
		if _, ok := jsvalue.IsIndexKey(k); ok {
			index = append(index, jsvalue.Property{Key: k, Value: v})
		} else {
			named = append(named, jsvalue.Property{Key: k, Value: v})
		}
	}
	// JavaScript enumerates index keys first, ascending, then the others in
	// insertion order: hold them in that order, as a decoder returns them.
	slices.SortStableFunc(index, func(a, b jsvalue.Property) int {
		x, _ := jsvalue.IsIndexKey(a.Key)
		y, _ := jsvalue.IsIndexKey(b.Key)
		return int(int64(x) - int64(y))
	})
	o.Props = append(index, named...)
	return o, name
}

// applyV0Quirks changes v in place the way bare-structured-clone 1.x's
// decoder changes it: causes dropped, URIError read back as Error.
func applyV0Quirks(v any, seen map[any]bool) {
	mark := func(k any) bool {
		if seen[k] {
			return true
		}
		seen[k] = true
		return false
	}
	switch x := v.(type) {
	case *jsvalue.Error:
		if mark(x) {
			return
		}
		applyV0Quirks(x.Cause, seen)
		x.Cause, x.HasCause = nil, false
		if x.Name == "URIError" {
			x.Name = "Error"
		}
		for _, e := range x.Errors {
			applyV0Quirks(e, seen)
		}
	case *jsvalue.Object:
		if mark(x) {
			return
		}
		for _, p := range x.Props {
			applyV0Quirks(p.Value, seen)
		}
	case []any:
		if len(x) == 0 || mark(&x[0]) {
			return
		}
		for _, e := range x {
			applyV0Quirks(e, seen)
		}
	case *jsvalue.Array:
		if mark(x) {
			return
		}
		applyV0Quirks(x.Elements, seen)
		for _, p := range x.Props {
			applyV0Quirks(p.Value, seen)
		}
	case *jsvalue.SparseArray:
		if mark(x) {
			return
		}
		for _, e := range x.Elements {
			applyV0Quirks(e.Value, seen)
		}
		for _, p := range x.Props {
			applyV0Quirks(p.Value, seen)
		}
	case *jsvalue.Map:
		if mark(x) {
			return
		}
		for _, e := range x.Entries {
			applyV0Quirks(e.Key, seen)
			applyV0Quirks(e.Value, seen)
		}
	case *jsvalue.Set:
		if mark(x) {
			return
		}
		for _, e := range x.Values {
			applyV0Quirks(e, seen)
		}
	}
}
