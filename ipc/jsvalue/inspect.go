package jsvalue

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/big"
	"sort"
	"strconv"
	"time"
)

// The model's types print readably (their String methods): plain data as
// its JSON text (what the peer sees), and what JSON cannot show as
// JavaScript's console shows it: undefined, NaN, 12n, Map(1) {"a" => 1},
// Set(2) {1, 2}, /re/g, <Buffer 01 02>, Uint16Array(2) [1, 2],
// [Number: 1], TypeError: message. Nesting deeper than inspectDepth prints
// as "…", so a cyclic value prints too.

// inspectDepth bounds how deeply String descends into nested values.
const inspectDepth = 32

// inspectString returns v's readable form.
func inspectString(v any) string { return string(appendInspect(nil, v, 0)) }

// appendInspect appends v's readable form at nesting depth d.
func appendInspect(b []byte, v any, d int) []byte {
	if d > inspectDepth {
		return append(b, "…"...)
	}
	switch x := v.(type) {
	case nil:
		return append(b, "null"...)
	case Undefined:
		return append(b, "undefined"...)
	case Hole:
		return append(b, "<empty>"...)
	case string:
		return appendString(b, x)
	case float64:
		return appendJSNumber(b, x)
	case bool:
		return strconv.AppendBool(b, x)
	case int:
		return strconv.AppendInt(b, int64(x), 10)
	case int64:
		return strconv.AppendInt(b, x, 10)
	case *big.Int:
		return append(x.Append(b, 10), 'n')
	case time.Time:
		return appendInspectDate(b, x)
	case InvalidDate:
		return append(b, "Invalid Date"...)
	case *Object:
		if x == nil {
			return append(b, "null"...)
		}
		return appendProps(append(b, '{'), x.Props, d, true)
	case []any:
		return appendElements(b, x, nil, d)
	case map[string]any:
		props := make([]Property, 0, len(x))
		for k, v := range x {
			props = append(props, Property{Key: k, Value: v})
		}
		sort.Slice(props, func(i, j int) bool { return props[i].Key < props[j].Key })
		return appendProps(append(b, '{'), props, d, true)
	case *Array:
		return appendElements(b, x.Elements, x.Props, d)
	case *SparseArray:
		return appendSparse(b, x, d)
	case *Map:
		b = fmt.Appendf(b, "Map(%d) {", len(x.Entries))
		for i, e := range x.Entries {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = appendInspect(b, e.Key, d+1)
			b = append(b, " => "...)
			b = appendInspect(b, e.Value, d+1)
		}
		return append(b, '}')
	case *Set:
		b = fmt.Appendf(b, "Set(%d) {", len(x.Values))
		for i, e := range x.Values {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = appendInspect(b, e, d+1)
		}
		return append(b, '}')
	case RegExp:
		return append(b, x.String()...)
	case Boxed:
		return appendBoxed(b, x, d)
	case []byte:
		return appendHexBytes(append(b, "<Buffer"...), x, ">")
	case ArrayBuffer:
		return appendHexBytes(fmt.Appendf(b, "ArrayBuffer(%d) <", len(x)), x, ">")
	case TypedArray:
		return appendTypedArray(b, x)
	case URL:
		return appendString(append(b, "URL "...), x.Href)
	case *Error:
		if x == nil {
			return append(b, "null"...)
		}
		return append(b, x.Error()...)
	}
	return fmt.Append(b, v)
}

// appendJSNumber appends f as JavaScript prints a number: NaN, Infinity and
// -0 included.
func appendJSNumber(b []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(b, "NaN"...)
	case math.IsInf(f, 1):
		return append(b, "Infinity"...)
	case math.IsInf(f, -1):
		return append(b, "-Infinity"...)
	case f == 0 && math.Signbit(f):
		return append(b, "-0"...)
	}
	return appendNumber(b, f)
}

// appendInspectDate appends t as an ISO string without quotes, or Invalid
// Date beyond a Date's range.
func appendInspectDate(b []byte, t time.Time) []byte {
	n := len(b)
	b = appendDate(b, t)
	if string(b[n:]) == "null" {
		return append(b[:n], "Invalid Date"...)
	}
	iso := string(b[n+1 : len(b)-1])
	return append(b[:n], iso...)
}

// appendProps appends the properties and the closing brace; quoted says
// whether keys are written as JSON strings.
func appendProps(b []byte, props []Property, d int, quoted bool) []byte {
	first := true
	for _, p := range props {
		if _, undef := p.Value.(Undefined); undef && quoted {
			continue // as JSON.stringify, so plain data prints as its JSON text
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = appendString(b, p.Key)
		b = append(b, ':')
		b = appendInspect(b, p.Value, d+1)
	}
	return append(b, '}')
}

// appendElements appends an array: its elements, holes left empty as in
// [1,,3], then its named properties.
func appendElements(b []byte, elems []any, props []Property, d int) []byte {
	b = append(b, '[')
	for i, e := range elems {
		if i > 0 {
			b = append(b, ',')
		}
		if _, hole := e.(Hole); hole {
			continue
		}
		b = appendInspect(b, e, d+1)
	}
	for i, p := range props {
		if i > 0 || len(elems) > 0 {
			b = append(b, ',')
		}
		b = appendString(b, p.Key)
		b = append(b, ':')
		b = appendInspect(b, p.Value, d+1)
	}
	return append(b, ']')
}

// appendSparse appends a sparse array with its gaps counted, as
// [<3 empty items>,5].
func appendSparse(b []byte, s *SparseArray, d int) []byte {
	b = append(b, '[')
	next := uint32(0)
	first := true
	sep := func() {
		if !first {
			b = append(b, ',')
		}
		first = false
	}
	gap := func(n uint32) {
		if n > 0 {
			sep()
			b = fmt.Appendf(b, "<%d empty items>", n)
		}
	}
	for _, e := range s.Elements {
		if e.Index < next || e.Index >= s.Length {
			continue
		}
		gap(e.Index - next)
		sep()
		b = appendInspect(b, e.Value, d+1)
		next = e.Index + 1
	}
	gap(s.Length - next)
	for _, p := range s.Props {
		sep()
		b = appendString(b, p.Key)
		b = append(b, ':')
		b = appendInspect(b, p.Value, d+1)
	}
	return append(b, ']')
}

// appendBoxed appends a primitive wrapper as [Number: 1].
func appendBoxed(b []byte, x Boxed, d int) []byte {
	name := "Object"
	switch x.Value.(type) {
	case float64:
		name = "Number"
	case string:
		name = "String"
	case bool:
		name = "Boolean"
	case *big.Int:
		name = "BigInt"
	}
	b = append(append(append(b, '['), name...), ": "...)
	return append(appendInspect(b, x.Value, d+1), ']')
}

// appendHexBytes appends " 01 02" and end.
func appendHexBytes(b []byte, data []byte, end string) []byte {
	for i, c := range data {
		if i > 0 || b[len(b)-1] != '<' {
			b = append(b, ' ')
		}
		b = append(b, hexDigits[c>>4], hexDigits[c&0xF])
	}
	return append(b, end...)
}

// appendTypedArray appends Uint16Array(2) [1,2], or a DataView's bytes.
func appendTypedArray(b []byte, t TypedArray) []byte {
	size := t.Kind.ElementSize()
	if t.Kind == KindDataView || len(t.Data)%size != 0 {
		return appendHexBytes(fmt.Appendf(b, "%s(%d) <", t.Kind, len(t.Data)), t.Data, ">")
	}
	n := len(t.Data) / size
	b = fmt.Appendf(b, "%s(%d) [", t.Kind, n)
	for i := 0; i < n; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		switch t.Kind {
		case KindBigInt64, KindBigUint64:
			b = append(bigElement(t, i*size).Append(b, 10), 'n')
		default:
			b = appendJSNumber(b, element(t, i*size))
		}
	}
	return append(b, ']')
}

// String prints the object as its JSON text when it holds plain data (keys
// in the order held), other values as JavaScript's console shows them.
func (o *Object) String() string { return inspectString(o) }

// String prints the array as [1,,3,"name":4]: holes empty, then its named
// properties.
func (a *Array) String() string { return inspectString(a) }

// String prints the array with its gaps counted: [<3 empty items>,5].
func (s *SparseArray) String() string { return inspectString(s) }

// String prints the map as Map(1) {"a" => 1}.
func (m *Map) String() string { return inspectString(m) }

// String prints the set as Set(2) {1, 2}.
func (s *Set) String() string { return inspectString(s) }

// String prints the wrapper as [Number: 1], [String: "s"].
func (x Boxed) String() string { return inspectString(x) }

// String prints the buffer's bytes as ArrayBuffer(2) <01 02>.
func (a ArrayBuffer) String() string { return inspectString(a) }

// String prints URL "href".
func (u URL) String() string { return inspectString(u) }

// String prints the elements as Uint16Array(2) [1,2], a DataView's bytes as
// DataView(2) <01 02>.
func (t TypedArray) String() string { return inspectString(t) }

// String prints undefined.
func (Undefined) String() string { return "undefined" }

// String prints <empty>, an array's hole.
func (Hole) String() string { return "<empty>" }

// String prints Invalid Date.
func (InvalidDate) String() string { return "Invalid Date" }

// bigElement reads a BigInt64Array or BigUint64Array element.
func bigElement(t TypedArray, off int) *big.Int {
	u := binary.LittleEndian.Uint64(t.Data[off:])
	if t.Kind == KindBigInt64 {
		return big.NewInt(int64(u))
	}
	return new(big.Int).SetUint64(u)
}
