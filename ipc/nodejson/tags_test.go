package nodejson

import (
	"encoding/hex"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

// tagOf writes v in the tagged form testdata/interop.js rebuilds values from
// and describes parsed values in: plain ASCII JSON, numbers as the hex of
// their bits, strings as UTF-16 code units. It is independent of Marshal.
func tagOf(v any) string {
	var b strings.Builder
	writeTag(&b, v)
	return b.String()
}

func writeTag(b *strings.Builder, v any) {
	switch x := v.(type) {
	case nil:
		b.WriteString(`["z"]`)
	case jsvalue.Undefined:
		b.WriteString(`["u"]`)
	case jsvalue.Hole:
		b.WriteString(`["h"]`)
	case bool:
		if x {
			b.WriteString(`["b",1]`)
		} else {
			b.WriteString(`["b",0]`)
		}
	case float64:
		fmt.Fprintf(b, `["n","%016x"]`, math.Float64bits(x))
	case string:
		b.WriteString(`["s",`)
		writeUnits(b, x)
		b.WriteString(`]`)
	case *big.Int:
		fmt.Fprintf(b, `["I","%s"]`, x)
	case []any:
		b.WriteString(`["a",`)
		writeList(b, x)
		b.WriteString(`]`)
	case *jsvalue.Array:
		b.WriteString(`["A",`)
		writeList(b, x.Elements)
		b.WriteString(`,`)
		writeProps(b, x.Props)
		b.WriteString(`]`)
	case *jsvalue.SparseArray:
		fmt.Fprintf(b, `["SA",%d,[`, x.Length)
		for i, e := range x.Elements {
			if i > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(b, "[%d,", e.Index)
			writeTag(b, e.Value)
			b.WriteString("]")
		}
		b.WriteString("]]")
	case *jsvalue.Object:
		b.WriteString(`["o",`)
		writeProps(b, x.Props)
		b.WriteString(`]`)
	case []byte:
		b.WriteString(`["B",[`)
		for i, c := range x {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString(strconv.Itoa(int(c)))
		}
		b.WriteString("]]")
	case jsvalue.TypedArray:
		fmt.Fprintf(b, `["T","%s","%s"]`, x.Kind, hex.EncodeToString(x.Data))
	case time.Time:
		fmt.Fprintf(b, `["D","%016x"]`, math.Float64bits(float64(x.UnixMilli())))
	case jsvalue.InvalidDate:
		fmt.Fprintf(b, `["D","%016x"]`, math.Float64bits(math.NaN()))
	case jsvalue.RegExp:
		b.WriteString(`["R"]`)
	case *jsvalue.Map:
		b.WriteString(`["M"]`)
	case *jsvalue.Set:
		b.WriteString(`["S"]`)
	case jsvalue.ArrayBuffer:
		fmt.Fprintf(b, `["AB","%s"]`, hex.EncodeToString(x))
	case *jsvalue.Error:
		b.WriteString(`["E"]`)
	case jsvalue.Boxed:
		b.WriteString(`["X",`)
		writeTag(b, x.Value)
		b.WriteString(`]`)
	default:
		if reflect.ValueOf(v).Kind() == reflect.Func {
			b.WriteString(`["F"]`)
			return
		}
		panic(fmt.Sprintf("tagOf: %T", v))
	}
}

func writeList(b *strings.Builder, l []any) {
	b.WriteString("[")
	for i, e := range l {
		if i > 0 {
			b.WriteString(",")
		}
		writeTag(b, e)
	}
	b.WriteString("]")
}

func writeProps(b *strings.Builder, ps []jsvalue.Property) {
	b.WriteString("[")
	for i, p := range ps {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("[")
		writeUnits(b, p.Key)
		b.WriteString(",")
		writeTag(b, p.Value)
		b.WriteString("]")
	}
	b.WriteString("]")
}

// writeUnits writes a WTF-8 string as its UTF-16 code units.
func writeUnits(b *strings.Builder, s string) {
	b.WriteString("[")
	first := true
	unit := func(u uint16) {
		if !first {
			b.WriteString(",")
		}
		first = false
		b.WriteString(strconv.Itoa(int(u)))
	}
	for i := 0; i < len(s); {
		if r, n := jsvalue.DecodeUnit(s, i); n == 3 && r >= 0xD800 && r <= 0xDFFF {
			unit(uint16(r))
			i += 3
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r >= 0x10000 {
			hi, lo := utf16.EncodeRune(r)
			unit(uint16(hi))
			unit(uint16(lo))
		} else {
			unit(uint16(r))
		}
	}
	b.WriteString("]")
}
