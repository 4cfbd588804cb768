package jsvalue

import (
	"fmt"
	"math/big"
	"reflect"
	"sort"
	"strconv"
	"time"
	"unsafe"
)

var (
	timeType   = reflect.TypeFor[time.Time]()
	bigIntType = reflect.TypeFor[big.Int]()
)

// FromGo turns an ordinary Go value into the model described in the package
// documentation:
//
//   - nil, nil pointers, nil maps and nil slices (other than []byte) become nil
//     (null);
//   - bool and string kinds become bool and string;
//   - every integer and float kind becomes float64; integers beyond ±2^53 lose
//     precision exactly as they would in JavaScript, and a float32 is widened;
//   - []byte (any slice of a byte kind) stays []byte, a Node Buffer;
//   - other slices and arrays become []any (a [N]byte too, as encoding/json);
//   - maps with string or integer keys become *Object, keys sorted as
//     encoding/json sorts them (encoders then apply JavaScript's order);
//   - structs become *Object with their fields in order, named by the `js` tag,
//     else the `json` tag, else the field name; "-" skips a field, omitempty
//     and omitzero drop empty or zero fields, embedded structs are promoted as
//     encoding/json promotes them;
//   - pointers and interfaces are followed; time.Time stays time.Time;
//     big.Int and *big.Int become *big.Int.
//
// Values of the model pass through unchanged. When a model container (*Object,
// []any, ...) holds Go values that need converting, it is copied, and each
// container reached twice is copied once, so shared objects and cycles through
// model pointers survive. A cycle through ordinary Go pointers, maps or slices
// is an error, as are channels, functions, complex numbers and unsafe
// pointers. json.Marshaler and encoding.TextMarshaler are not consulted.
func FromGo(v any) (any, error) {
	if isPure(v, nil) {
		return v, nil
	}
	c := converter{memo: map[identity]any{}, active: map[identity]bool{}}
	return c.convert(reflect.ValueOf(v))
}

// identity names a reference value: its type and address (and length for
// slices).
type identity struct {
	typ reflect.Type
	ptr unsafe.Pointer
	n   int
}

// isPure reports whether v is made of model values only, so FromGo can return
// it as it is. seen guards against cycles.
func isPure(v any, seen map[any]bool) bool {
	switch x := v.(type) {
	case nil, bool, float64, string, []byte, Undefined, Hole, InvalidDate, time.Time, *big.Int,
		RegExp, ArrayBuffer, URL, TypedArray:
		return true
	case Boxed:
		switch x.Value.(type) {
		case float64, string, bool, *big.Int:
			return true
		}
		return false
	case []any:
		if len(x) == 0 {
			return true
		}
		k := &x[0]
		if seen[k] {
			return true
		}
		seen = mark(seen, k)
		for _, e := range x {
			if !isPure(e, seen) {
				return false
			}
		}
		return true
	case *Object:
		if x == nil || seen[x] {
			return x != nil
		}
		seen = mark(seen, x)
		return propsPure(x.Props, seen)
	case *Array:
		if x == nil || seen[x] {
			return x != nil
		}
		seen = mark(seen, x)
		return isPure(x.Elements, seen) && propsPure(x.Props, seen)
	case *SparseArray:
		if x == nil || seen[x] {
			return x != nil
		}
		seen = mark(seen, x)
		for _, e := range x.Elements {
			if !isPure(e.Value, seen) {
				return false
			}
		}
		return propsPure(x.Props, seen)
	case *Map:
		if x == nil || seen[x] {
			return x != nil
		}
		seen = mark(seen, x)
		for _, e := range x.Entries {
			if !isPure(e.Key, seen) || !isPure(e.Value, seen) {
				return false
			}
		}
		return true
	case *Set:
		if x == nil || seen[x] {
			return x != nil
		}
		seen = mark(seen, x)
		return isPure(x.Values, seen)
	case *Error:
		if x == nil || seen[x] {
			return x != nil
		}
		seen = mark(seen, x)
		return isPure(x.Cause, seen) && isPure(x.Errors, seen)
	}
	return false
}

func mark(seen map[any]bool, k any) map[any]bool {
	if seen == nil {
		seen = map[any]bool{}
	}
	seen[k] = true
	return seen
}

func propsPure(ps []Property, seen map[any]bool) bool {
	for _, p := range ps {
		if !isPure(p.Value, seen) {
			return false
		}
	}
	return true
}

// converter carries the state of one FromGo call: memo maps a reference
// already converted to its result, active holds the Go references on the
// current path (a cycle through them is an error).
type converter struct {
	memo   map[identity]any
	active map[identity]bool
}

func (c *converter) convert(rv reflect.Value) (any, error) {
	if !rv.IsValid() {
		return nil, nil
	}
	if rv.Kind() == reflect.Interface {
		if rv.IsNil() {
			return nil, nil
		}
		rv = rv.Elem()
	}
	if rv.CanInterface() {
		if out, ok, err := c.convertModel(rv.Interface()); ok {
			return out, err
		}
	}
	switch rv.Type() {
	case timeType:
		return timeValue(rv), nil
	case bigIntType:
		n := new(big.Int)
		if rv.CanAddr() && rv.CanInterface() {
			n.Set(rv.Addr().Interface().(*big.Int))
		} else {
			b := rv.Interface().(big.Int)
			n.Set(&b)
		}
		return n, nil
	}
	switch rv.Kind() {
	case reflect.Bool:
		return rv.Bool(), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return float64(rv.Int()), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return float64(rv.Uint()), nil
	case reflect.Float32, reflect.Float64:
		return rv.Float(), nil
	case reflect.String:
		return rv.String(), nil
	case reflect.Pointer:
		if rv.IsNil() {
			return nil, nil
		}
		if rv.Type().Elem() == bigIntType {
			return new(big.Int).Set(rv.Interface().(*big.Int)), nil
		}
		return c.reference(rv, identity{typ: rv.Type(), ptr: rv.UnsafePointer()}, func() (any, error) {
			return c.convert(rv.Elem())
		})
	case reflect.Slice:
		if rv.IsNil() {
			return nil, nil
		}
		if rv.Type().Elem().Kind() == reflect.Uint8 {
			return rv.Bytes(), nil
		}
		id := identity{typ: rv.Type(), ptr: rv.UnsafePointer(), n: rv.Len()}
		return c.reference(rv, id, func() (any, error) { return c.list(rv) })
	case reflect.Array:
		return c.list(rv)
	case reflect.Map:
		if rv.IsNil() {
			return nil, nil
		}
		return c.reference(rv, identity{typ: rv.Type(), ptr: rv.UnsafePointer()}, func() (any, error) {
			return c.object(rv)
		})
	case reflect.Struct:
		return c.structObject(rv)
	}
	return nil, fmt.Errorf("jsvalue: cannot convert a value of type %s (%s) to a JavaScript value", rv.Type(), rv.Kind())
}

// reference converts a Go reference (pointer, map, slice) once per call, and
// fails on a cycle.
func (c *converter) reference(rv reflect.Value, id identity, conv func() (any, error)) (any, error) {
	if out, ok := c.memo[id]; ok {
		return out, nil
	}
	if c.active[id] {
		return nil, fmt.Errorf("jsvalue: cycle through a value of type %s", rv.Type())
	}
	c.active[id] = true
	out, err := conv()
	delete(c.active, id)
	if err == nil {
		c.memo[id] = out
	}
	return out, err
}

func timeValue(rv reflect.Value) time.Time {
	if rv.CanInterface() {
		return rv.Interface().(time.Time)
	}
	// An unexported field: copy it out through an addressable value.
	cp := reflect.New(timeType).Elem()
	cp.Set(reflect.NewAt(timeType, unsafe.Pointer(rv.UnsafeAddr())).Elem())
	return cp.Interface().(time.Time)
}

func (c *converter) list(rv reflect.Value) (any, error) {
	out := make([]any, rv.Len())
	for i := range out {
		e, err := c.convert(rv.Index(i))
		if err != nil {
			return nil, err
		}
		out[i] = e
	}
	return out, nil
}

func (c *converter) object(rv reflect.Value) (any, error) {
	type kv struct {
		key string
		val reflect.Value
	}
	kt := rv.Type().Key()
	entries := make([]kv, 0, rv.Len())
	iter := rv.MapRange()
	for iter.Next() {
		k := iter.Key()
		var ks string
		switch kt.Kind() {
		case reflect.String:
			ks = k.String()
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			ks = strconv.FormatInt(k.Int(), 10)
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
			ks = strconv.FormatUint(k.Uint(), 10)
		default:
			return nil, fmt.Errorf("jsvalue: cannot convert map key type %s (want a string or integer kind)", kt)
		}
		entries = append(entries, kv{ks, iter.Value()})
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].key < entries[j].key })
	o := &Object{Props: make([]Property, len(entries))}
	for i, e := range entries {
		v, err := c.convert(e.val)
		if err != nil {
			return nil, err
		}
		o.Props[i] = Property{Key: e.key, Value: v}
	}
	return o, nil
}

func (c *converter) structObject(rv reflect.Value) (any, error) {
	si := cachedFields(rv.Type())
	o := &Object{Props: make([]Property, 0, len(si.fields))}
	for i := range si.fields {
		f := &si.fields[i]
		fv, ok := fieldByIndex(rv, f.index)
		if !ok {
			continue
		}
		if f.omitEmpty && isEmptyValue(fv) || f.omitZero && isZeroValue(fv) {
			continue
		}
		v, err := c.convert(fv)
		if err != nil {
			return nil, err
		}
		o.Props = append(o.Props, Property{Key: f.name, Value: v})
	}
	return o, nil
}

// fieldByIndex follows index through embedded structs; ok is false when it
// crosses a nil embedded pointer.
func fieldByIndex(rv reflect.Value, index []int) (reflect.Value, bool) {
	for i, x := range index {
		if i > 0 && rv.Kind() == reflect.Pointer {
			if rv.IsNil() {
				return reflect.Value{}, false
			}
			rv = rv.Elem()
		}
		rv = rv.Field(x)
	}
	return rv, true
}

// isEmptyValue is encoding/json's omitempty test.
func isEmptyValue(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}

// isZeroValue is encoding/json's omitzero test: an IsZero method if there is
// one, else the zero value.
func isZeroValue(v reflect.Value) bool {
	if !v.CanInterface() {
		return v.IsZero()
	}
	if z, ok := v.Interface().(interface{ IsZero() bool }); ok {
		if v.Kind() == reflect.Pointer && v.IsNil() {
			return true
		}
		return z.IsZero()
	}
	return v.IsZero()
}
