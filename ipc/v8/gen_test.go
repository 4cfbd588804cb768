package v8

import (
	"math"
	"math/big"
	"math/rand"
	"strconv"
	"time"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

// gen makes random values of the model that a JavaScript program could have
// made, so that V8 writes them exactly as this package does. It keeps to
// what V8's hidden classes make deterministic: a property named "i…" holds
// only small integers, "d…" only other numbers, and no other property holds a
// number (V8 writes an integer held in a double field as a double).
type gen struct {
	r      *rand.Rand
	shared []any // finished objects that may be referred to again
	open   []any // objects being built (cycle targets)
	keyN   int
	// causeCycles lets an Error's cause refer back to it, which V8 12 reads
	// and V8 11 cannot.
	causeCycles bool
}

var (
	smis    = []float64{0, 1, -1, 7, 255, 256, -256, 1 << 30, -(1 << 30), math.MaxInt32, math.MinInt32, 65535, 1e9}
	doubles = []float64{1.5, math.Copysign(0, -1), math.NaN(), math.Inf(1), math.Inf(-1), 1 << 31, -(1 << 31) - 1, 1 << 53, 5e-324,
		1e21, 0.1, -2.5e-7, math.MaxFloat64, 4294967296}
	strParts = []string{"a", "hello", "é", "ÿ", "Ω", "€", "中文", "😀", "\xed\xa0\x80", "\xed\xb0\x81", "x\x00y", " ", "0", "\n", "\u2028", "ab"}
	errNames = []string{"Error", "EvalError", "RangeError", "ReferenceError", "SyntaxError", "TypeError", "URIError"}
	kinds    = []jsvalue.TypedArrayKind{jsvalue.KindInt8, jsvalue.KindUint8, jsvalue.KindUint8Clamped, jsvalue.KindInt16,
		jsvalue.KindUint16, jsvalue.KindInt32, jsvalue.KindUint32, jsvalue.KindFloat32, jsvalue.KindFloat64,
		jsvalue.KindBigInt64, jsvalue.KindBigUint64, jsvalue.KindDataView}
)

func (g *gen) smi() float64 {
	if g.r.Intn(2) == 0 {
		return smis[g.r.Intn(len(smis))]
	}
	return float64(g.r.Int31() - g.r.Int31())
}

func (g *gen) double() float64 {
	if g.r.Intn(2) == 0 {
		return doubles[g.r.Intn(len(doubles))]
	}
	f := g.r.NormFloat64() * math.Pow(10, float64(g.r.Intn(30)-10))
	if isSmi(f) {
		f += 0.5
	}
	return f
}

func (g *gen) number() float64 {
	if g.r.Intn(2) == 0 {
		return g.smi()
	}
	return g.double()
}

func (g *gen) str() string {
	n := g.r.Intn(6)
	s := ""
	for range n {
		s += strParts[g.r.Intn(len(strParts))]
	}
	if g.r.Intn(8) == 0 {
		b := make([]byte, g.r.Intn(300))
		for i := range b {
			b[i] = byte('a' + g.r.Intn(26))
		}
		s += string(b)
	}
	return s
}

func (g *gen) bigint() *big.Int {
	x := new(big.Int).Rand(g.r, new(big.Int).Lsh(big.NewInt(1), uint(g.r.Intn(300))))
	if g.r.Intn(2) == 0 {
		x.Neg(x)
	}
	return x
}

// key returns a fresh property name for a value: "i…" for small integers,
// "d…" for other numbers, else any other name, an index now and then.
func (g *gen) key(v any) string {
	g.keyN++
	n := strconv.Itoa(g.keyN)
	if f, ok := v.(float64); ok {
		if isSmi(f) {
			return "i" + n
		}
		return "d" + n
	}
	switch g.r.Intn(8) {
	case 0:
		return n // an index key: written first, as a number
	case 1:
		return strconv.Itoa(2147483640 + g.keyN%20)
	case 2:
		return "€" + n
	case 3:
		return "ÿ" + n
	}
	return "k" + n
}

func (g *gen) primitive() any {
	switch g.r.Intn(9) {
	case 0:
		return nil
	case 1:
		return jsvalue.Undefined{}
	case 2:
		return g.r.Intn(2) == 0
	case 3:
		return g.bigint()
	case 4, 5:
		return g.number()
	}
	return g.str()
}

// nonNumber returns a value for a named property (never a number).
func (g *gen) nonNumber(depth int) any {
	for {
		v := g.value(depth)
		if _, ok := v.(float64); !ok {
			return v
		}
	}
}

func (g *gen) props(depth int, n int) []jsvalue.Property {
	ps := make([]jsvalue.Property, 0, n)
	for range n {
		var v any
		switch g.r.Intn(4) {
		case 0:
			v = g.smi()
		case 1:
			v = g.double()
		default:
			v = g.nonNumber(depth)
		}
		k := g.key(v)
		if slicesContainsKey(ps, k) {
			continue
		}
		ps = append(ps, jsvalue.Property{Key: k, Value: v})
	}
	return ps
}

func (g *gen) bytes(n int) []byte {
	b := make([]byte, n)
	g.r.Read(b)
	return b
}

func (g *gen) value(depth int) any {
	if depth <= 0 || g.r.Intn(3) == 0 {
		return g.primitive()
	}
	if len(g.shared) > 0 && g.r.Intn(12) == 0 {
		return g.shared[g.r.Intn(len(g.shared))]
	}
	if len(g.open) > 0 && g.r.Intn(20) == 0 {
		return g.open[g.r.Intn(len(g.open))]
	}
	depth--
	switch g.r.Intn(17) {
	case 0, 1:
		o := &jsvalue.Object{}
		g.open = append(g.open, o)
		o.Props = g.props(depth, g.r.Intn(6))
		return g.done(o)
	case 2, 3:
		n := 1 + g.r.Intn(5)
		a := make([]any, n)
		g.open = append(g.open, a)
		allNumbers := g.r.Intn(3) == 0
		for i := range a {
			if allNumbers {
				a[i] = g.number()
			} else {
				a[i] = g.value(depth)
			}
		}
		return g.done(a)
	case 4:
		a := make([]any, 1+g.r.Intn(6))
		for i := range a {
			if i == 0 || g.r.Intn(2) == 0 {
				a[i] = jsvalue.Hole{}
			} else {
				a[i] = g.value(depth)
			}
		}
		return a
	case 5:
		a := &jsvalue.Array{Elements: []any{g.value(depth), g.str()}}
		a.Props = g.props(depth, 1+g.r.Intn(2))
		for i := range a.Props {
			if _, ok := jsvalue.IsIndexKey(a.Props[i].Key); ok {
				a.Props[i].Key = "p" + a.Props[i].Key
			}
		}
		return g.done(a)
	case 6:
		a := &jsvalue.SparseArray{Length: uint32(10 + g.r.Intn(5000))}
		g.open = append(g.open, a)
		idx := uint32(g.r.Intn(5))
		for idx < a.Length-1 && len(a.Elements) < 4 {
			a.Elements = append(a.Elements, jsvalue.Element{Index: idx, Value: g.value(depth)})
			idx += 1 + uint32(g.r.Intn(int(a.Length)))
		}
		if g.r.Intn(3) == 0 {
			a.Props = []jsvalue.Property{{Key: "name", Value: g.str()}}
		}
		return g.done(a)
	case 7:
		m := &jsvalue.Map{}
		g.open = append(g.open, m)
		for i := range g.r.Intn(4) {
			var k any = "k" + strconv.Itoa(i)
			if g.r.Intn(3) == 0 {
				k = &jsvalue.Object{}
			}
			m.Entries = append(m.Entries, jsvalue.Entry{Key: k, Value: g.value(depth)})
		}
		return g.done(m)
	case 8:
		s := &jsvalue.Set{}
		g.open = append(g.open, s)
		for i := range g.r.Intn(4) {
			if g.r.Intn(2) == 0 {
				s.Values = append(s.Values, float64(i))
			} else {
				s.Values = append(s.Values, g.value(depth))
			}
		}
		if !distinct(s.Values) {
			s.Values = nil
		}
		return g.done(s)
	case 9:
		e := &jsvalue.Error{Name: errNames[g.r.Intn(len(errNames))], Message: "m" + g.str()}
		if g.r.Intn(2) == 0 {
			e.HasStack, e.Stack = true, e.Name+": "+e.Message+"\n    at x ("+g.str()+")"
		}
		if g.r.Intn(2) == 0 {
			// never a number: V8 reads the cause from a field of an options
			// object, where an integer may sit in a double field.
			e.HasCause, e.Cause = true, g.nonNumber(depth)
		}
		if g.causeCycles && g.r.Intn(10) == 0 {
			e.HasCause, e.Cause = true, e
			if g.r.Intn(2) == 0 {
				e.Cause = &jsvalue.Object{Props: []jsvalue.Property{{Key: "e", Value: e}}}
			}
		}
		return g.done(e)
	case 10:
		return g.done(g.bytes(g.r.Intn(40)))
	case 11:
		k := kinds[g.r.Intn(len(kinds))]
		return g.done(jsvalue.TypedArray{Kind: k, Data: g.bytes(k.ElementSize() * g.r.Intn(6))})
	case 12:
		return g.done(jsvalue.ArrayBuffer(g.bytes(g.r.Intn(20))))
	case 13:
		if g.r.Intn(6) == 0 {
			return jsvalue.InvalidDate{}
		}
		return time.UnixMilli(g.r.Int63n(1<<45) - 1<<44).UTC()
	case 14:
		var flags []byte
		for _, f := range regExpFlags {
			if f.c != 'l' && (f.c != 'v' || g.r.Intn(2) == 0) && g.r.Intn(3) == 0 {
				flags = append(flags, f.c)
			}
		}
		if bytesContain(flags, 'v') && bytesContain(flags, 'u') {
			flags = flags[:0]
		}
		return jsvalue.RegExp{Source: "a[b-c]+" + strconv.Itoa(g.r.Intn(100)), Flags: string(flags)}
	case 15:
		switch g.r.Intn(4) {
		case 0:
			return jsvalue.Boxed{Value: g.r.Intn(2) == 0}
		case 1:
			return jsvalue.Boxed{Value: g.number()}
		case 2:
			return jsvalue.Boxed{Value: g.str()}
		}
		return jsvalue.Boxed{Value: g.bigint()}
	}
	return g.str()
}

func bytesContain(b []byte, c byte) bool {
	for _, x := range b {
		if x == c {
			return true
		}
	}
	return false
}

// distinct reports whether Set values stay distinct in JavaScript.
func distinct(vs []any) bool {
	seen := map[any]bool{}
	for _, v := range vs {
		switch x := v.(type) {
		case float64:
			if x != x || x == 0 {
				return false
			}
			if seen[x] {
				return false
			}
			seen[x] = true
		case string, bool, nil, jsvalue.Undefined:
			if seen[x] {
				return false
			}
			seen[x] = true
		case *big.Int:
			return false
		case jsvalue.InvalidDate, time.Time, jsvalue.RegExp, jsvalue.Boxed:
		case []byte, []any, jsvalue.ArrayBuffer, jsvalue.TypedArray:
			return false // identity is by address in Go, may repeat
		default:
			if seen[x] {
				return false
			}
			seen[x] = true
		}
	}
	return true
}

// done closes an object being built and makes it available for sharing.
func (g *gen) done(v any) any {
	if len(g.open) > 0 {
		if last := g.open[len(g.open)-1]; sameRef(last, v) {
			g.open = g.open[:len(g.open)-1]
		}
	}
	switch x := v.(type) {
	case []byte:
		if len(x) == 0 {
			return v
		}
	case []any:
		if len(x) == 0 {
			return v
		}
	case jsvalue.ArrayBuffer:
		if len(x) == 0 {
			return v
		}
	case jsvalue.TypedArray:
		if len(x.Data) == 0 {
			return v
		}
	}
	g.shared = append(g.shared, v)
	return v
}

func sameRef(a, b any) bool {
	switch x := a.(type) {
	case []any:
		y, ok := b.([]any)
		return ok && len(x) > 0 && len(y) > 0 && &x[0] == &y[0]
	case *jsvalue.Object, *jsvalue.Map, *jsvalue.Set, *jsvalue.SparseArray:
		return a == b
	}
	return false
}

// generate returns n values from seed; each starts with fresh sharing. With
// causeCycles an Error's cause may refer back to it.
func generate(seed int64, n int, causeCycles bool) []any {
	r := rand.New(rand.NewSource(seed))
	vs := make([]any, n)
	for i := range vs {
		g := gen{r: r, causeCycles: causeCycles}
		vs[i] = g.value(1 + r.Intn(5))
	}
	return vs
}

func slicesContainsKey(ps []jsvalue.Property, k string) bool {
	for _, p := range ps {
		if p.Key == k {
			return true
		}
	}
	return false
}
