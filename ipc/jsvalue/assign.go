package jsvalue

import (
	"math"
	"math/big"
	"reflect"
	"strconv"
	"time"
)

// Assign stores the model value src into the Go value dst points to, the way
// encoding/json's Unmarshal stores JSON:
//
//   - into an `any`, the value with every *Object as a map[string]any and
//     every []any copied, all the way down, as encoding/json stores JSON
//     (other model values, a *Map, a *Set, []byte, time.Time..., are stored
//     as they are);
//   - numbers go into every integer and float kind, with an error when the
//     number has a fraction or does not fit; a *big.Int goes into integer kinds
//     and *big.Int / big.Int;
//   - *Object goes into a map with string or integer keys, or into a struct,
//     matching keys to field names (tags as for FromGo) exactly, else without
//     regard to case; unknown keys are ignored;
//   - *Map goes into a map;
//   - []any, *Array, *SparseArray and *Set go into slices and arrays;
//   - []byte, ArrayBuffer, a Uint8Array and a Buffer in its JSON form
//     ({"type":"Buffer","data":[...]}) go into a []byte, as a copy;
//   - time.Time and a string in RFC 3339 form (Date's JSON form) go into a
//     time.Time;
//   - Boxed values are unwrapped;
//   - nil and Undefined set interfaces, pointers, maps and slices to nil and
//     leave every other value as it was, like JSON null.
//
// dst must be a non-nil pointer. Failures are *AssignError, with the path to
// the offending value; values assigned before the failure stay assigned.
func Assign(src any, dst any) error {
	if p, ok := dst.(*any); ok && p != nil {
		*p = plain(src)
		return nil
	}
	rv := reflect.ValueOf(dst)
	if !rv.IsValid() || rv.Kind() != reflect.Pointer || rv.IsNil() {
		return &AssignError{Value: describe(src), Type: reflect.TypeOf(dst), Msg: "destination must be a non-nil pointer"}
	}
	return assign(src, rv.Elem(), nil)
}

// plain is v for an `any`: objects as map[string]any and arrays as []any,
// all the way down; other values as they are.
func plain(v any) any {
	switch v := v.(type) {
	case *Object:
		if v == nil {
			return nil
		}
		m := make(map[string]any, len(v.Props))
		for _, p := range v.Props {
			m[p.Key] = plain(p.Value)
		}
		return m
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = plain(e)
		}
		return out
	}
	return v
}

func isNullish(v any) bool {
	switch v.(type) {
	case nil, Undefined, Hole:
		return true
	}
	return false
}

func assign(src any, dv reflect.Value, p *path) error {
	dt := dv.Type()
	if dv.Kind() == reflect.Interface {
		if dv.NumMethod() == 0 {
			if src == nil {
				dv.SetZero()
			} else {
				dv.Set(reflect.ValueOf(plain(src)))
			}
			return nil
		}
		if isNullish(src) {
			dv.SetZero()
			return nil
		}
		if reflect.TypeOf(src).Implements(dt) {
			dv.Set(reflect.ValueOf(src))
			return nil
		}
		return assignErr(p, src, dt, "")
	}
	if isNullish(src) {
		switch dv.Kind() {
		case reflect.Pointer, reflect.Map, reflect.Slice:
			dv.SetZero()
		}
		return nil
	}
	if b, ok := src.(Boxed); ok {
		src = b.Value
	}
	if st := reflect.TypeOf(src); st == dt && dt.Kind() != reflect.Slice {
		dv.Set(reflect.ValueOf(src))
		return nil
	}
	switch dt {
	case timeType:
		return assignTime(src, dv, p)
	case bigIntType:
		n, ok := toBigInt(src)
		if !ok {
			return assignErr(p, src, dt, "")
		}
		dv.Set(reflect.ValueOf(n).Elem())
		return nil
	}
	switch dv.Kind() {
	case reflect.Pointer:
		if dt.Elem() == bigIntType {
			n, ok := toBigInt(src)
			if !ok {
				return assignErr(p, src, dt, "")
			}
			dv.Set(reflect.ValueOf(n))
			return nil
		}
		if dv.IsNil() {
			dv.Set(reflect.New(dt.Elem()))
		}
		return assign(src, dv.Elem(), p)
	case reflect.Bool:
		b, ok := src.(bool)
		if !ok {
			return assignErr(p, src, dt, "")
		}
		dv.SetBool(b)
		return nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64:
		return assignNumber(src, dv, p)
	case reflect.String:
		s, ok := src.(string)
		if !ok {
			return assignErr(p, src, dt, "")
		}
		dv.SetString(s)
		return nil
	case reflect.Slice:
		if dt.Elem().Kind() == reflect.Uint8 {
			if b, ok := bytesOf(src); ok {
				dv.SetBytes(append(make([]byte, 0, len(b)), b...))
				return nil
			}
		}
		return assignList(src, dv, p)
	case reflect.Array:
		return assignList(src, dv, p)
	case reflect.Map:
		return assignMap(src, dv, p)
	case reflect.Struct:
		return assignStruct(src, dv, p)
	}
	return assignErr(p, src, dt, "")
}

func assignTime(src any, dv reflect.Value, p *path) error {
	switch x := src.(type) {
	case time.Time:
		dv.Set(reflect.ValueOf(x))
		return nil
	case string:
		t, err := time.Parse(time.RFC3339Nano, x)
		if err != nil {
			return assignErr(p, src, dv.Type(), err.Error())
		}
		dv.Set(reflect.ValueOf(t))
		return nil
	case InvalidDate:
		return assignErr(p, src, dv.Type(), "invalid Date")
	}
	return assignErr(p, src, dv.Type(), "")
}

func toBigInt(src any) (*big.Int, bool) {
	switch x := src.(type) {
	case *big.Int:
		return new(big.Int).Set(x), true
	case float64:
		if x != math.Trunc(x) || math.IsInf(x, 0) {
			return nil, false
		}
		n, _ := big.NewFloat(x).Int(nil)
		return n, true
	}
	return nil, false
}

func assignNumber(src any, dv reflect.Value, p *path) error {
	dt := dv.Type()
	var f float64
	switch x := src.(type) {
	case float64:
		f = x
	case *big.Int:
		switch dv.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			if !x.IsInt64() || dv.OverflowInt(x.Int64()) {
				return assignErr(p, src, dt, "out of range")
			}
			dv.SetInt(x.Int64())
			return nil
		case reflect.Float32, reflect.Float64:
			f, _ = new(big.Float).SetInt(x).Float64()
		default:
			if !x.IsUint64() || dv.OverflowUint(x.Uint64()) {
				return assignErr(p, src, dt, "out of range")
			}
			dv.SetUint(x.Uint64())
			return nil
		}
	default:
		return assignErr(p, src, dt, "")
	}
	switch dv.Kind() {
	case reflect.Float32, reflect.Float64:
		if dv.Kind() == reflect.Float32 && !math.IsInf(f, 0) && math.Abs(f) > math.MaxFloat32 {
			return assignErr(p, src, dt, "out of range")
		}
		dv.SetFloat(f)
		return nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if f != math.Trunc(f) {
			return assignErr(p, src, dt, "not an integer")
		}
		if f < -(1<<63) || f >= 1<<63 || dv.OverflowInt(int64(f)) {
			return assignErr(p, src, dt, "out of range")
		}
		dv.SetInt(int64(f))
		return nil
	default:
		if f != math.Trunc(f) {
			return assignErr(p, src, dt, "not an integer")
		}
		if f < 0 || f >= 1<<64 || dv.OverflowUint(uint64(f)) {
			return assignErr(p, src, dt, "out of range")
		}
		dv.SetUint(uint64(f))
		return nil
	}
}

// bytesOf returns the bytes of a Buffer, ArrayBuffer, Uint8Array or a Buffer
// in its JSON form.
func bytesOf(src any) ([]byte, bool) {
	switch x := src.(type) {
	case []byte:
		return x, true
	case ArrayBuffer:
		return x, true
	case TypedArray:
		if x.Kind == KindUint8 || x.Kind == KindUint8Clamped {
			return x.Data, true
		}
	case *Object:
		return bufferJSON(x)
	}
	return nil, false
}

// bufferJSON reads {"type":"Buffer","data":[bytes]}, what Buffer.toJSON gives.
func bufferJSON(o *Object) ([]byte, bool) {
	if len(o.Props) != 2 {
		return nil, false
	}
	if t, _ := o.Get("type"); t != "Buffer" {
		return nil, false
	}
	d, _ := o.Get("data")
	list, ok := d.([]any)
	if !ok {
		return nil, false
	}
	b := make([]byte, len(list))
	for i, e := range list {
		f, ok := e.(float64)
		if !ok || f < 0 || f > 255 || f != math.Trunc(f) {
			return nil, false
		}
		b[i] = byte(f)
	}
	return b, true
}

// elementsOf returns the elements of an array-like model value.
func elementsOf(src any) ([]any, bool) {
	switch x := src.(type) {
	case []any:
		return x, true
	case *Array:
		return x.Elements, true
	case *Set:
		return x.Values, true
	case *SparseArray:
		if x.Length > 1<<24 {
			return nil, false
		}
		out := make([]any, x.Length)
		for _, e := range x.Elements {
			if e.Index < x.Length {
				out[e.Index] = e.Value
			}
		}
		return out, true
	}
	return nil, false
}

func assignList(src any, dv reflect.Value, p *path) error {
	elems, ok := elementsOf(src)
	if !ok {
		return assignErr(p, src, dv.Type(), "")
	}
	n := len(elems)
	if dv.Kind() == reflect.Slice {
		dv.Set(reflect.MakeSlice(dv.Type(), n, n))
	}
	for i := 0; i < dv.Len(); i++ {
		if i >= n {
			dv.Index(i).SetZero()
			continue
		}
		if err := assign(elems[i], dv.Index(i), p.elem(i)); err != nil {
			return err
		}
	}
	return nil
}

func assignMap(src any, dv reflect.Value, p *path) error {
	dt := dv.Type()
	kt, et := dt.Key(), dt.Elem()
	if dv.IsNil() {
		dv.Set(reflect.MakeMap(dt))
	}
	put := func(k any, kp *path, v any) error {
		kv := reflect.New(kt).Elem()
		if err := mapKey(k, kv, kp); err != nil {
			return err
		}
		ev := reflect.New(et).Elem()
		if err := assign(v, ev, kp); err != nil {
			return err
		}
		dv.SetMapIndex(kv, ev)
		return nil
	}
	switch x := src.(type) {
	case *Object:
		for _, pr := range x.Props {
			if err := put(pr.Key, p.field(pr.Key), pr.Value); err != nil {
				return err
			}
		}
		return nil
	case *Map:
		for i, e := range x.Entries {
			if err := put(e.Key, p.elem(i), e.Value); err != nil {
				return err
			}
		}
		return nil
	}
	return assignErr(p, src, dt, "")
}

// mapKey stores an object key (a string) or a Map key into kv.
func mapKey(k any, kv reflect.Value, p *path) error {
	s, isString := k.(string)
	if !isString {
		return assign(k, kv, p)
	}
	switch kv.Kind() {
	case reflect.String:
		kv.SetString(s)
		return nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || kv.OverflowInt(n) {
			return assignErr(p, k, kv.Type(), "key is not an integer in range")
		}
		kv.SetInt(n)
		return nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil || kv.OverflowUint(n) {
			return assignErr(p, k, kv.Type(), "key is not an integer in range")
		}
		kv.SetUint(n)
		return nil
	case reflect.Interface:
		return assign(k, kv, p)
	}
	return assignErr(p, k, kv.Type(), "unsupported map key type")
}

func assignStruct(src any, dv reflect.Value, p *path) error {
	o, ok := src.(*Object)
	if !ok {
		return assignErr(p, src, dv.Type(), "")
	}
	si := cachedFields(dv.Type())
	for _, pr := range o.Props {
		f := si.lookup(pr.Key)
		if f == nil {
			continue
		}
		fv, err := fieldForSet(dv, f.index)
		if err != nil {
			return assignErr(p.field(pr.Key), pr.Value, dv.Type(), err.Error())
		}
		if err := assign(pr.Value, fv, p.field(pr.Key)); err != nil {
			return err
		}
	}
	return nil
}

type fieldErr string

func (e fieldErr) Error() string { return string(e) }

// fieldForSet follows index, allocating nil embedded pointers on the way.
func fieldForSet(v reflect.Value, index []int) (reflect.Value, error) {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				if !v.CanSet() {
					return reflect.Value{}, fieldErr("cannot set embedded pointer to unexported struct " + v.Type().Elem().String())
				}
				v.Set(reflect.New(v.Type().Elem()))
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v, nil
}
