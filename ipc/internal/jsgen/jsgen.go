// Package jsgen makes random values of the jsvalue model for round-trip
// tests: the ipc/jsc tests and the Bun interop tests of
// ipc/nodeipc use the same generator.
package jsgen

import (
	"math"
	"math/big"
	"math/rand"
	"strconv"
	"strings"
	"time"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

// errorNames are the Error kinds JavaScriptCore's format carries.
var errorNames = []string{
	jsvalue.ErrorNameError, jsvalue.ErrorNameEvalError, jsvalue.ErrorNameRangeError,
	jsvalue.ErrorNameReferenceError, jsvalue.ErrorNameSyntaxError, jsvalue.ErrorNameTypeError,
	jsvalue.ErrorNameURIError,
}

// Gen makes random model values of every kind JavaScriptCore's format
// carries, with shared and circular structure, views over shared buffers,
// and now and then pools past 255 entries.
type Gen struct {
	r      *rand.Rand
	shared []any // containers made so far, for references
	bufs   []jsvalue.ArrayBuffer
}

// New returns a generator whose values follow from seed.
func New(seed int64) *Gen { return &Gen{r: rand.New(rand.NewSource(seed))} }

var genStrings = []string{"", "a", "hi", "é", "ÿ", "€", "😀", "\xed\xa0\x80", "a\x00b", "k", "1", "01", "4294967294", "length"}

func (g *Gen) str() string {
	if g.r.Intn(4) == 0 {
		var b strings.Builder
		for range g.r.Intn(6) {
			b.WriteRune([]rune{'a', 'z', 0xe9, 0xff, 0x3a9, 0x20ac, 0x1f600}[g.r.Intn(7)])
		}
		return b.String()
	}
	return genStrings[g.r.Intn(len(genStrings))]
}

func (g *Gen) number() float64 {
	switch g.r.Intn(6) {
	case 0:
		return []float64{0, 1, -1, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), 1 << 31, -(1 << 31), 5e-324, math.MaxFloat64}[g.r.Intn(11)]
	case 1:
		return g.r.NormFloat64() * 1e6
	default:
		return float64(g.r.Int31() - g.r.Int31())
	}
}

func (g *Gen) bigint() *big.Int {
	n := new(big.Int).Rand(g.r, new(big.Int).Lsh(big.NewInt(1), uint(g.r.Intn(200))))
	if g.r.Intn(2) == 0 {
		n.Neg(n)
	}
	return n
}

func (g *Gen) prim() any {
	switch g.r.Intn(10) {
	case 0:
		return nil
	case 1:
		return jsvalue.Undefined{}
	case 2:
		return g.r.Intn(2) == 0
	case 3:
		return g.bigint()
	case 4, 5:
		return g.str()
	default:
		return g.number()
	}
}

func (g *Gen) buffer() jsvalue.ArrayBuffer {
	b := make(jsvalue.ArrayBuffer, 8*g.r.Intn(4))
	g.r.Read(b)
	g.bufs = append(g.bufs, b)
	return b
}

var genKinds = []jsvalue.TypedArrayKind{
	jsvalue.KindInt8, jsvalue.KindUint8, jsvalue.KindUint8Clamped, jsvalue.KindInt16, jsvalue.KindUint16,
	jsvalue.KindInt32, jsvalue.KindUint32, jsvalue.KindFloat16, jsvalue.KindFloat32, jsvalue.KindFloat64,
	jsvalue.KindBigInt64, jsvalue.KindBigUint64, jsvalue.KindDataView,
}

// view makes a typed array over its own bytes or over part of a buffer
// made before, aligned to its element size.
func (g *Gen) view() jsvalue.TypedArray {
	k := genKinds[g.r.Intn(len(genKinds))]
	size := k.ElementSize()
	if len(g.bufs) > 0 && g.r.Intn(2) == 0 {
		b := g.bufs[g.r.Intn(len(g.bufs))]
		n := len(b) / size
		if n > 0 {
			lo := g.r.Intn(n)
			hi := lo + g.r.Intn(n-lo+1)
			return jsvalue.TypedArray{Kind: k, Data: b[lo*size : hi*size]}
		}
	}
	d := make([]byte, size*g.r.Intn(3))
	g.r.Read(d)
	return jsvalue.TypedArray{Kind: k, Data: d}
}

func (g *Gen) props(depth int) []jsvalue.Property {
	n := g.r.Intn(4)
	ps := make([]jsvalue.Property, 0, n)
	for range n {
		ps = append(ps, jsvalue.Property{Key: g.str(), Value: g.value(depth + 1)})
	}
	return jsvalue.EnumerationOrder(dedupe(ps))
}

func dedupe(ps []jsvalue.Property) []jsvalue.Property {
	o := &jsvalue.Object{}
	for _, p := range ps {
		o.Set(p.Key, p.Value)
	}
	return o.Props
}

func (g *Gen) value(depth int) any {
	if depth > 4 || g.r.Intn(3) == 0 {
		return g.prim()
	}
	if len(g.shared) > 0 && g.r.Intn(8) == 0 {
		return g.shared[g.r.Intn(len(g.shared))]
	}
	switch g.r.Intn(14) {
	case 0:
		o := &jsvalue.Object{}
		g.shared = append(g.shared, o)
		o.Props = g.props(depth)
		return o
	case 1:
		n := g.r.Intn(4)
		l := make([]any, n)
		if n > 0 {
			g.shared = append(g.shared, l)
		}
		for i := range l {
			l[i] = g.value(depth + 1)
		}
		return l
	case 2:
		a := &jsvalue.Array{}
		g.shared = append(g.shared, a)
		a.Elements = make([]any, 1+g.r.Intn(3))
		for i := range a.Elements {
			a.Elements[i] = g.value(depth + 1)
		}
		for _, p := range g.props(depth) {
			if _, isIndex := jsvalue.IsIndexKey(p.Key); !isIndex && p.Key != "length" {
				a.Props = append(a.Props, p)
			}
		}
		if len(a.Props) == 0 {
			a.Props = []jsvalue.Property{{Key: "k", Value: 1.0}}
		}
		return a
	case 3:
		s := &jsvalue.SparseArray{Length: uint32(1 + g.r.Intn(1<<20))}
		g.shared = append(g.shared, s)
		last := -1
		for range g.r.Intn(3) {
			i := last + 1 + g.r.Intn(int(s.Length)-last)
			if i >= int(s.Length) {
				break
			}
			s.Elements = append(s.Elements, jsvalue.Element{Index: uint32(i), Value: g.value(depth + 1)})
			last = i
		}
		return s
	case 4:
		m := &jsvalue.Map{}
		g.shared = append(g.shared, m)
		keys := map[jsvalue.ZeroKey]bool{}
		for range g.r.Intn(3) {
			k := normalizeZero(g.prim())
			if zk, ok := jsvalue.SameValueZeroKey(k); ok {
				if keys[zk] {
					continue
				}
				keys[zk] = true
			}
			m.Entries = append(m.Entries, jsvalue.Entry{Key: k, Value: g.value(depth + 1)})
		}
		return m
	case 5:
		s := &jsvalue.Set{}
		g.shared = append(g.shared, s)
		vals := map[jsvalue.ZeroKey]bool{}
		for range g.r.Intn(3) {
			v := normalizeZero(g.value(depth + 1))
			if zk, ok := jsvalue.SameValueZeroKey(v); ok {
				if vals[zk] {
					continue
				}
				vals[zk] = true
			}
			s.Values = append(s.Values, v)
		}
		return s
	case 6:
		switch g.r.Intn(3) {
		case 0:
			return jsvalue.InvalidDate{}
		default:
			return time.UnixMilli(g.r.Int63n(4e12) - 2e12).UTC()
		}
	case 7:
		return jsvalue.RegExp{Source: []string{"a", `\/`, "€+", "(?:x)", "[a-z]"}[g.r.Intn(5)], Flags: []string{"", "g", "gi", "dgimsuy", "v"}[g.r.Intn(5)]}
	case 8:
		switch g.r.Intn(4) {
		case 0:
			return jsvalue.Boxed{Value: g.number()}
		case 1:
			return jsvalue.Boxed{Value: g.str()}
		case 2:
			return jsvalue.Boxed{Value: g.r.Intn(2) == 0}
		default:
			return jsvalue.Boxed{Value: g.bigint()}
		}
	case 9:
		e := &jsvalue.Error{Name: errorNames[g.r.Intn(len(errorNames))], Message: g.str()}
		if g.r.Intn(2) == 0 {
			e.Stack, e.HasStack = e.Name+": "+e.Message+"\n    at x", true
		}
		return e
	case 10:
		return g.buffer()
	case 11:
		return g.view()
	case 12:
		if g.r.Intn(4) == 0 {
			l := make([]any, 256+g.r.Intn(64))
			for i := range l {
				l[i] = "p" + strconv.Itoa(i)
			}
			g.shared = append(g.shared, l)
			return l
		}
		return []byte(g.str())
	default:
		return g.prim()
	}
}

// Generate returns a new value, sharing nothing with the values before.
func (g *Gen) Generate() any {
	g.shared, g.bufs = g.shared[:0], g.bufs[:0]
	return g.value(0)
}

// normalizeZero turns -0 into 0, as a Map key or Set value holds it.
func normalizeZero(v any) any {
	if f, ok := v.(float64); ok && f == 0 && math.Signbit(f) {
		return 0.0
	}
	return v
}
