package nodejson

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

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

// MaxEncodeDepth is how deeply Marshal nests arrays and objects before it
// gives up, like JSON.stringify running out of stack.
const MaxEncodeDepth = 10000

// cycleCheckDepth is the nesting depth from which Marshal looks for cycles;
// shallower values are never cyclic through fewer levels than this.
const cycleCheckDepth = 64

// ErrUndefined is returned for a value JSON.stringify turns into undefined (a
// top-level undefined or function), which Node refuses to send.
var ErrUndefined = errors.New("nodejson: value serializes to undefined (Node refuses to send it)")

// UnsupportedValueError reports a value JSON.stringify throws on: a BigInt, a
// cycle, or nesting too deep.
type UnsupportedValueError struct {
	Msg string
}

func (e *UnsupportedValueError) Error() string { return "nodejson: " + e.Msg }

// Marshal returns v as Node's JSON.stringify writes the equivalent JavaScript
// value, without the trailing newline of the IPC framing. v is a value of the
// model of package jsvalue or an ordinary Go value (converted with
// jsvalue.FromGo). See the package documentation for the rules.
func Marshal(v any) ([]byte, error) {
	return AppendMarshal(nil, v)
}

// AppendMarshal appends the JSON form of v to b, as Marshal writes it.
func AppendMarshal(b []byte, v any) ([]byte, error) {
	e := encoder{buf: b}
	if omitted(v) {
		return b, ErrUndefined
	}
	if err := e.value(v); err != nil {
		return b, err
	}
	return e.buf, nil
}

type encoder struct {
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
	case jsvalue.Undefined:
		return true
	case nil, string, float64, bool, *jsvalue.Object, []any, int, int64, map[string]any:
		return false
	}
	rv := reflect.ValueOf(v)
	return rv.Kind() == reflect.Func
}

func (e *encoder) push(p unsafe.Pointer) error {
	if e.depth >= MaxEncodeDepth {
		return &UnsupportedValueError{Msg: "nesting deeper than " + strconv.Itoa(MaxEncodeDepth)}
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

func (e *encoder) pop() {
	e.depth--
	if e.depth >= cycleCheckDepth {
		e.deep = e.deep[:len(e.deep)-1]
	}
}

// within writes a container: null when p is nil, else f with p on the stack
// of containers being written (a cycle is an error, as in JSON.stringify).
func (e *encoder) within(p unsafe.Pointer, f func() error) error {
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

func (e *encoder) value(v any) error {
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
	case *jsvalue.Object:
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
	case jsvalue.Undefined, jsvalue.Hole, jsvalue.InvalidDate:
		e.buf = append(e.buf, "null"...)
	case *big.Int:
		return &UnsupportedValueError{Msg: "Do not know how to serialize a BigInt"}
	case jsvalue.RegExp, *jsvalue.Map, *jsvalue.Set, jsvalue.ArrayBuffer, *jsvalue.Error:
		e.buf = append(e.buf, "{}"...)
	case jsvalue.URL:
		e.buf = appendString(e.buf, x.Href)
	case jsvalue.Boxed:
		if !isPrimitive(x.Value) {
			return fmt.Errorf("nodejson: Boxed holds %T, not a primitive", x.Value)
		}
		return e.value(x.Value)
	case jsvalue.TypedArray:
		return e.typedArray(x)
	case *jsvalue.Array:
		return e.within(unsafe.Pointer(x), func() error { return e.array(x.Elements) })
	case *jsvalue.SparseArray:
		return e.within(unsafe.Pointer(x), func() error { return e.sparse(x) })
	default:
		if reflect.ValueOf(v).Kind() == reflect.Func {
			e.buf = append(e.buf, "null"...)
			return nil
		}
		m, err := jsvalue.FromGo(v)
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

func (e *encoder) array(elems []any) error {
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
func (e *encoder) object(props []jsvalue.Property) error {
	e.buf = append(e.buf, '{')
	first := true
	write := func(p *jsvalue.Property) error {
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
		if _, ok := jsvalue.IsIndexKey(props[i].Key); ok {
			nIndex++
		}
	}
	if nIndex > 0 {
		idx := make([]int, 0, nIndex)
		for i := range props {
			if _, ok := jsvalue.IsIndexKey(props[i].Key); ok {
				idx = append(idx, i)
			}
		}
		sort.SliceStable(idx, func(a, b int) bool {
			na, _ := jsvalue.IsIndexKey(props[idx[a]].Key)
			nb, _ := jsvalue.IsIndexKey(props[idx[b]].Key)
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
			if _, ok := jsvalue.IsIndexKey(props[i].Key); ok {
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
func sortedProps(m map[string]any) []jsvalue.Property {
	props := make([]jsvalue.Property, 0, len(m))
	for k, v := range m {
		props = append(props, jsvalue.Property{Key: k, Value: v})
	}
	sort.Slice(props, func(i, j int) bool { return props[i].Key < props[j].Key })
	return props
}
