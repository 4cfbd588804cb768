package nodejson

import (
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

// gen makes random JavaScript values, deterministically from its seed.
type gen struct {
	r *rand.Rand
}

func newGen(seed uint64) *gen { return &gen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))} }

var trickyNumbers = []float64{
	0, math.Copysign(0, -1), 1, -1, 1e21, 1e-7, 5e-324, 1<<53 + 1, 1 << 53, 123456789012345680000,
	1e21 - 65536, 999999999999999900000, 1e-6, 1.5e-7, 0.000001234, 1.7976931348623157e308,
	math.NaN(), math.Inf(1), math.Inf(-1), 4294967295, 4294967296, -2147483648, 0.1, 1.0 / 3, 2.5e-323,
}

var trickyKeys = []string{
	"01", "4294967295", "4294967294", "-1", "1.5", "0", "1", "10", "9", "", "__proto__", "constructor",
	"a", "b", "é", "\u2028", "1e3", "00", " 1", "4294967296", "12345678901", "toString",
}

// pieces of strings: raw UTF-8 and WTF-8 lone surrogates.
var stringPieces = []string{
	"a", "hello", " ", "\"", "\\", "/", "\b", "\f", "\n", "\r", "\t", "\x00", "\x01", "\x1f", "\x7f",
	"\u2028", "\u2029", "é", "ß", "中文", "😀", "\U0010FFFF", "\uFFFD", "\uFEFF", "<>&",
	"\xed\xa0\x80", "\xed\xbf\xbf", "\xed\xa0\xbd", "\xed\xb8\x80", // lone surrogates D800, DFFF, D83D, DE00
}

func (g *gen) number() float64 {
	switch g.r.IntN(6) {
	case 0:
		return trickyNumbers[g.r.IntN(len(trickyNumbers))]
	case 1:
		return float64(g.r.IntN(2000) - 1000)
	case 2:
		return math.Float64frombits(g.r.Uint64())
	case 3:
		return (g.r.Float64() - 0.5) * math.Pow(10, float64(g.r.IntN(60)-30))
	case 4:
		return float64(g.r.Int64()) / float64(int64(1)<<g.r.IntN(64))
	default:
		return math.Round(g.r.Float64()*1e6) / 1e3
	}
}

func (g *gen) str() string {
	var b strings.Builder
	n := g.r.IntN(8)
	for range n {
		if g.r.IntN(3) == 0 {
			b.WriteByte(byte(0x20 + g.r.IntN(0x5f)))
			continue
		}
		b.WriteString(stringPieces[g.r.IntN(len(stringPieces))])
	}
	return b.String()
}

func (g *gen) key() string {
	switch g.r.IntN(3) {
	case 0:
		return trickyKeys[g.r.IntN(len(trickyKeys))]
	case 1:
		return g.str()
	}
	return string(rune('a' + g.r.IntN(26)))
}

func (g *gen) bytes(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(g.r.Uint32())
	}
	return b
}

// value returns a random value; depth bounds the nesting.
func (g *gen) value(depth int) any {
	if depth <= 0 || g.r.IntN(3) == 0 {
		return g.scalar()
	}
	switch g.r.IntN(10) {
	case 0, 1, 2, 3:
		o := &jsvalue.Object{}
		seen := map[string]bool{}
		for range g.r.IntN(7) {
			k := g.key()
			if seen[k] {
				continue
			}
			seen[k] = true
			o.Props = append(o.Props, jsvalue.Property{Key: k, Value: g.value(depth - 1)})
		}
		return o
	case 4, 5, 6:
		l := make([]any, g.r.IntN(7))
		for i := range l {
			if g.r.IntN(10) == 0 {
				l[i] = jsvalue.Hole{}
			} else {
				l[i] = g.value(depth - 1)
			}
		}
		return l
	case 7:
		a := &jsvalue.Array{Elements: []any{g.value(depth - 1)}, Props: []jsvalue.Property{{Key: "x", Value: 1.0}}}
		return a
	case 8:
		s := &jsvalue.SparseArray{Length: uint32(g.r.IntN(20))}
		for i := uint32(0); i < s.Length; i += uint32(1 + g.r.IntN(6)) {
			s.Elements = append(s.Elements, jsvalue.Element{Index: i, Value: g.value(depth - 1)})
		}
		return s
	default:
		return jsvalue.Boxed{Value: g.primitive()}
	}
}

func (g *gen) primitive() any {
	switch g.r.IntN(3) {
	case 0:
		return g.number()
	case 1:
		return g.str()
	}
	return g.r.IntN(2) == 0
}

var typedKinds = []jsvalue.TypedArrayKind{
	jsvalue.KindInt8, jsvalue.KindUint8, jsvalue.KindUint8Clamped, jsvalue.KindInt16, jsvalue.KindUint16,
	jsvalue.KindInt32, jsvalue.KindUint32, jsvalue.KindFloat32, jsvalue.KindFloat64, jsvalue.KindDataView,
}

func (g *gen) scalar() any {
	switch g.r.IntN(24) {
	case 0, 1, 2, 3, 4, 5:
		return g.number()
	case 6, 7, 8, 9, 10, 11:
		return g.str()
	case 12:
		return nil
	case 13:
		return g.r.IntN(2) == 0
	case 14:
		return jsvalue.Undefined{}
	case 15:
		return g.bytes(g.r.IntN(5))
	case 16:
		k := typedKinds[g.r.IntN(len(typedKinds))]
		return jsvalue.TypedArray{Kind: k, Data: g.bytes(k.ElementSize() * g.r.IntN(4))}
	case 17:
		ms := g.r.Int64N(2*9e15) - 9e15
		if g.r.IntN(2) == 0 {
			ms = g.r.Int64N(4e12) - 1e12
		}
		return time.UnixMilli(ms)
	case 18:
		return jsvalue.InvalidDate{}
	case 19:
		return []any{jsvalue.RegExp{Source: "a+b", Flags: "gi"}, &jsvalue.Map{}, &jsvalue.Set{}}[g.r.IntN(3)]
	case 20:
		return jsvalue.ArrayBuffer(g.bytes(g.r.IntN(4)))
	case 21:
		return &jsvalue.Error{Message: "boom"}
	case 22:
		return func() {}
	default:
		return trickyNumbers[g.r.IntN(len(trickyNumbers))]
	}
}
