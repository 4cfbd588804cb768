package jsvalue

import (
	"math/big"
	"reflect"
	"time"
	"unsafe"
)

// convertModel converts a value of a model type whose contents may hold Go
// values. ok is false when v is not a model type. Containers are copied once
// per FromGo call and registered before their contents are converted, so
// cycles through them map to the copies.
func (c *converter) convertModel(v any) (out any, ok bool, err error) {
	switch x := v.(type) {
	case nil, bool, float64, string, []byte, Undefined, Hole, InvalidDate, time.Time,
		RegExp, ArrayBuffer, URL, TypedArray:
		return v, true, nil
	case *big.Int:
		return x, true, nil
	case Boxed:
		inner, err := c.convert(reflect.ValueOf(x.Value))
		return Boxed{Value: inner}, true, err
	case []any:
		if x == nil {
			return x, true, nil
		}
		id := identity{typ: reflect.TypeOf(x), ptr: unsafe.Pointer(unsafe.SliceData(x)), n: len(x)}
		if m, ok := c.memo[id]; ok {
			return m, true, nil
		}
		cp := make([]any, len(x))
		c.memo[id] = cp
		return cp, true, c.convertAll(x, cp)
	case *Object:
		if x == nil {
			return x, true, nil
		}
		if m, ok := c.memoPtr(x); ok {
			return m, true, nil
		}
		cp := &Object{}
		c.memo[ptrID(x)] = cp
		cp.Props, err = c.convertProps(x.Props)
		return cp, true, err
	case *Array:
		if x == nil {
			return x, true, nil
		}
		if m, ok := c.memoPtr(x); ok {
			return m, true, nil
		}
		cp := &Array{Elements: make([]any, len(x.Elements))}
		c.memo[ptrID(x)] = cp
		if err := c.convertAll(x.Elements, cp.Elements); err != nil {
			return nil, true, err
		}
		cp.Props, err = c.convertProps(x.Props)
		return cp, true, err
	case *SparseArray:
		if x == nil {
			return x, true, nil
		}
		if m, ok := c.memoPtr(x); ok {
			return m, true, nil
		}
		cp := &SparseArray{Length: x.Length, Elements: make([]Element, len(x.Elements))}
		c.memo[ptrID(x)] = cp
		for i, e := range x.Elements {
			cv, err := c.convert(reflect.ValueOf(e.Value))
			if err != nil {
				return nil, true, err
			}
			cp.Elements[i] = Element{Index: e.Index, Value: cv}
		}
		cp.Props, err = c.convertProps(x.Props)
		return cp, true, err
	case *Map:
		if x == nil {
			return x, true, nil
		}
		if m, ok := c.memoPtr(x); ok {
			return m, true, nil
		}
		cp := &Map{Entries: make([]Entry, len(x.Entries))}
		c.memo[ptrID(x)] = cp
		for i, e := range x.Entries {
			k, err := c.convert(reflect.ValueOf(e.Key))
			if err != nil {
				return nil, true, err
			}
			val, err := c.convert(reflect.ValueOf(e.Value))
			if err != nil {
				return nil, true, err
			}
			cp.Entries[i] = Entry{Key: k, Value: val}
		}
		return cp, true, nil
	case *Set:
		if x == nil {
			return x, true, nil
		}
		if m, ok := c.memoPtr(x); ok {
			return m, true, nil
		}
		cp := &Set{Values: make([]any, len(x.Values))}
		c.memo[ptrID(x)] = cp
		return cp, true, c.convertAll(x.Values, cp.Values)
	case *Error:
		if x == nil {
			return x, true, nil
		}
		if m, ok := c.memoPtr(x); ok {
			return m, true, nil
		}
		cp := new(Error)
		*cp = *x
		c.memo[ptrID(x)] = cp
		if cp.Cause, err = c.convert(reflect.ValueOf(x.Cause)); err != nil {
			return nil, true, err
		}
		if x.Errors != nil {
			cp.Errors = make([]any, len(x.Errors))
			err = c.convertAll(x.Errors, cp.Errors)
		}
		return cp, true, err
	}
	return nil, false, nil
}

func ptrID[T any](p *T) identity {
	return identity{typ: reflect.TypeFor[*T](), ptr: unsafe.Pointer(p)}
}

func (c *converter) memoPtr(p any) (any, bool) {
	rv := reflect.ValueOf(p)
	m, ok := c.memo[identity{typ: rv.Type(), ptr: rv.UnsafePointer()}]
	return m, ok
}

func (c *converter) convertAll(src, dst []any) error {
	for i, e := range src {
		v, err := c.convert(reflect.ValueOf(e))
		if err != nil {
			return err
		}
		dst[i] = v
	}
	return nil
}

func (c *converter) convertProps(ps []Property) ([]Property, error) {
	if ps == nil {
		return nil, nil
	}
	out := make([]Property, len(ps))
	for i, p := range ps {
		v, err := c.convert(reflect.ValueOf(p.Value))
		if err != nil {
			return nil, err
		}
		out[i] = Property{Key: p.Key, Value: v}
	}
	return out, nil
}
