package jsvalue

import (
	"errors"
	"fmt"
	"math/big"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"time"
	"unsafe"
)

// MaxStringifyDepth is how deeply Stringify nests arrays and objects before
// it gives up, like JSON.stringify running out of stack.
const MaxStringifyDepth = 10000

// cycleCheckDepth is the nesting depth from which Stringify looks for cycles;
// shallower values are never cyclic through fewer levels than this.
const cycleCheckDepth = 64

// ErrUndefined is returned by Stringify for a value JSON.stringify turns into
// undefined (a top-level undefined or function), which Node refuses to send.
var ErrUndefined = errors.New("jsvalue: value serializes to undefined (Node refuses to send it)")

// UnsupportedValueError reports a value JSON.stringify throws on (Stringify
// returns it): a BigInt, a cycle, or nesting too deep.
type UnsupportedValueError struct {
	Msg string
}

func (e *UnsupportedValueError) Error() string { return "jsvalue: " + e.Msg }

// Stringify returns v as JSON.stringify writes the equivalent JavaScript
// value (package nodejson's Marshal, the text a Node peer sends and reads).
// v is a value of this package's model or an ordinary Go value (converted
// with FromGo). The rules, JSON.stringify's:
//
//   - object keys in JavaScript's order: for an *Object, canonical
//     array-index keys ("0", "17", not "01" or "4294967295") ascending, then
//     the others in the order held; struct fields in field order; Go maps
//     sorted as encoding/json sorts them, then index keys first;
//   - numbers as ECMAScript's Number.prototype.toString (1e+21, 1.5e-7,
//     5e-324), -0 as 0, NaN and ±Infinity as null;
//   - strings with only `"`, `\` and control characters escaped (\b \f \n \r
//     \t, others \u00xx), U+2028 and U+2029 raw, no HTML escaping, and a lone
//     surrogate (held in WTF-8) as a \udxxx escape;
//   - Undefined and Go functions skipped in objects, null in arrays; at the
//     top level they give ErrUndefined (JSON.stringify gives undefined);
//   - []byte (a Buffer) as {"type":"Buffer","data":[...]}, a typed array as
//     an object of its elements {"0":9,"1":8}, a DataView, ArrayBuffer,
//     RegExp, Map, Set or Error as {} (they have no enumerable own
//     properties), a URL as its href;
//   - time.Time as Date.prototype.toJSON writes it (UTC, milliseconds,
//     "+275760-09-13T00:00:00.000Z" beyond year 9999), InvalidDate or a time
//     beyond a Date's range as null;
//   - boxed primitives as their primitive, array holes as null, the named
//     properties of an *Array dropped, a *SparseArray as its dense form with
//     null in the gaps;
//   - a BigInt, a cycle ("Converting circular structure to JSON") or nesting
//     deeper than MaxStringifyDepth are *UnsupportedValueError.
func Stringify(v any) ([]byte, error) {
	return AppendStringify(nil, v)
}

// AppendStringify appends the JSON form of v to b, as Stringify writes it.
func AppendStringify(b []byte, v any) ([]byte, error) {
	e := stringifier{buf: b}
	if omitted(v) {
		return b, ErrUndefined
	}
	if err := e.value(v); err != nil {
		return b, err
	}
	return e.buf, nil
}

type stringifier struct {
	buf []byte
	// The containers being written, for cycle detection: the first
	// cycleCheckDepth in shallow (no allocation for the usual message),
	// the rest in deep.
	depth   int
	shallow [cycleCheckDepth]unsafe.Pointer
	deep    []unsafe.Pointer
}

// omitted reports values JSON.stringify skips in objects and writes as null
// in arrays: undefined and functions.
func omitted(v any) bool {
	switch v.(type) {
	case Undefined:
		return true
	case nil, string, float64, bool, *Object, []any, int, int64, map[string]any:
		return false
	}
	rv := reflect.ValueOf(v)
	return rv.Kind() == reflect.Func
}

func (e *stringifier) push(p unsafe.Pointer) error {
	if e.depth >= MaxStringifyDepth {
		return &UnsupportedValueError{Msg: "nesting deeper than " + strconv.Itoa(MaxStringifyDepth)}
	}
	if e.depth < cycleCheckDepth {
		e.shallow[e.depth] = p
		e.depth++
		return nil
	}
	if slices.Contains(e.shallow[:], p) || slices.Contains(e.deep, p) {
		return &UnsupportedValueError{Msg: "Converting circular structure to JSON"}
	}
	e.deep = append(e.deep, p)
	e.depth++
	return nil
}

func (e *stringifier) pop() {
	e.depth--
	if e.depth >= cycleCheckDepth {
		e.deep = e.deep[:len(e.deep)-1]
	}
}

// within writes a container: null when p is nil, else f with p on the stack
// of containers being written (a cycle is an error, as in JSON.stringify).
func (e *stringifier) within(p unsafe.Pointer, f func() error) error {
	if p == nil {
		e.buf = append(e.buf, "null"...)
		return nil
	}
	if err := e.push(p); err != nil {
		return err
	}
	defer e.pop()
	return f()
}

func (e *stringifier) value(v any) error {
	switch x := v.(type) {
	case nil:
		e.buf = append(e.buf, "null"...)
	case string:
		e.buf = appendString(e.buf, x)
	case float64:
		e.buf = appendNumber(e.buf, x)
	case bool:
		e.buf = strconv.AppendBool(e.buf, x)
	case int:
		e.buf = appendNumber(e.buf, float64(x))
	case int64:
		e.buf = appendNumber(e.buf, float64(x))
	case *Object:
		return e.within(unsafe.Pointer(x), func() error { return e.object(x.Props) })
	case []any:
		if len(x) > 0 {
			if err := e.push(unsafe.Pointer(&x[0])); err != nil {
				return err
			}
			defer e.pop()
		}
		return e.array(x)
	case map[string]any:
		return e.within(reflect.ValueOf(x).UnsafePointer(), func() error { return e.object(sortedProps(x)) })
	case []byte:
		e.buffer(x)
	case time.Time:
		e.buf = appendDate(e.buf, x)
	case Undefined, Hole, InvalidDate:
		e.buf = append(e.buf, "null"...)
	case *big.Int:
		return &UnsupportedValueError{Msg: "Do not know how to serialize a BigInt"}
	case RegExp, *Map, *Set, ArrayBuffer, *Error:
		e.buf = append(e.buf, "{}"...)
	case URL:
		e.buf = appendString(e.buf, x.Href)
	case Boxed:
		if !isPrimitive(x.Value) {
			return fmt.Errorf("jsvalue: Boxed holds %T, not a primitive", x.Value)
		}
		return e.value(x.Value)
	case TypedArray:
		return e.typedArray(x)
	case *Array:
		return e.within(unsafe.Pointer(x), func() error { return e.array(x.Elements) })
	case *SparseArray:
		return e.within(unsafe.Pointer(x), func() error { return e.sparse(x) })
	default:
		if reflect.ValueOf(v).Kind() == reflect.Func {
			e.buf = append(e.buf, "null"...)
			return nil
		}
		m, err := FromGo(v)
		if err != nil {
			return err
		}
		return e.value(m)
	}
	return nil
}

func isPrimitive(v any) bool {
	switch v.(type) {
	case float64, string, bool, *big.Int:
		return true
	}
	return false
}

func (e *stringifier) array(elems []any) error {
	e.buf = append(e.buf, '[')
	for i, el := range elems {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		if omitted(el) {
			e.buf = append(e.buf, "null"...)
			continue
		}
		if err := e.value(el); err != nil {
			return err
		}
	}
	e.buf = append(e.buf, ']')
	return nil
}

// object writes properties in JavaScript's order: canonical array-index keys
// ascending, then the others in the order given.
func (e *stringifier) object(props []Property) error {
	e.buf = append(e.buf, '{')
	first := true
	write := func(p *Property) error {
		if omitted(p.Value) {
			return nil
		}
		if !first {
			e.buf = append(e.buf, ',')
		}
		first = false
		e.buf = appendString(e.buf, p.Key)
		e.buf = append(e.buf, ':')
		return e.value(p.Value)
	}
	nIndex := 0
	for i := range props {
		if _, ok := IsIndexKey(props[i].Key); ok {
			nIndex++
		}
	}
	if nIndex > 0 {
		idx := make([]int, 0, nIndex)
		for i := range props {
			if _, ok := IsIndexKey(props[i].Key); ok {
				idx = append(idx, i)
			}
		}
		sort.SliceStable(idx, func(a, b int) bool {
			na, _ := IsIndexKey(props[idx[a]].Key)
			nb, _ := IsIndexKey(props[idx[b]].Key)
			return na < nb
		})
		for _, i := range idx {
			if err := write(&props[i]); err != nil {
				return err
			}
		}
	}
	for i := range props {
		if nIndex > 0 {
			if _, ok := IsIndexKey(props[i].Key); ok {
				continue
			}
		}
		if err := write(&props[i]); err != nil {
			return err
		}
	}
	e.buf = append(e.buf, '}')
	return nil
}

// sortedProps lists a Go map's entries with keys sorted as encoding/json
// sorts them.
func sortedProps(m map[string]any) []Property {
	props := make([]Property, 0, len(m))
	for k, v := range m {
		props = append(props, Property{Key: k, Value: v})
	}
	sort.Slice(props, func(i, j int) bool { return props[i].Key < props[j].Key })
	return props
}
