package main

import (
	"encoding/base64"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"time"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
	"github.com/uvpipe/uvpipe/ipc/nodejson"
)

// readTypedJSON parses one line of typed JSON (see typedJSONAbout) into a
// value of jsvalue's model.
func readTypedJSON(line []byte) (any, error) {
	v, err := nodejson.Decode(line)
	if err != nil {
		return nil, err
	}
	return untype(v, 0)
}

// untype turns the "$type" objects in v into the values they stand for.
func untype(v any, depth int) (any, error) {
	if depth > maxTypedDepth {
		return nil, errTooDeep
	}
	switch x := v.(type) {
	case []any:
		return untypeList(x, depth)
	case *jsvalue.Object:
		t, ok := x.Get("$type")
		if !ok {
			ps, err := untypeProps(x.Props, depth)
			return &jsvalue.Object{Props: ps}, err
		}
		name, ok := t.(string)
		if !ok {
			return nil, fmt.Errorf(`"$type" is %v, not a type's name`, t)
		}
		v, err := untypeTagged(name, typedFields{x}, depth)
		if err != nil {
			return nil, fmt.Errorf(`{"$type":%q}: %w`, name, err)
		}
		return v, nil
	}
	return v, nil
}

func untypeList(xs []any, depth int) ([]any, error) {
	out := make([]any, len(xs))
	for i, x := range xs {
		v, err := untype(x, depth+1)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

func untypeProps(ps []jsvalue.Property, depth int) ([]jsvalue.Property, error) {
	out := make([]jsvalue.Property, len(ps))
	for i, p := range ps {
		v, err := untype(p.Value, depth+1)
		if err != nil {
			return nil, err
		}
		out[i] = jsvalue.Property{Key: p.Key, Value: v}
	}
	return out, nil
}

// typedFields reads the other fields of a "$type" object.
type typedFields struct{ o *jsvalue.Object }

func (f typedFields) str(key string) (string, error) {
	v, _ := f.o.Get(key)
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("%q must be a string", key)
	}
	return s, nil
}

func (f typedFields) bytes(key string) ([]byte, error) {
	s, err := f.str(key)
	if err != nil {
		return nil, err
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("%q is not base64: %w", key, err)
	}
	return b, nil
}

func (f typedFields) list(key string, depth int) ([]any, error) {
	v, _ := f.o.Get(key)
	xs, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("%q must be an array", key)
	}
	return untypeList(xs, depth)
}

func (f typedFields) object(key string, depth int) ([]jsvalue.Property, error) {
	v, ok := f.o.Get(key)
	if !ok {
		return nil, nil
	}
	o, ok := v.(*jsvalue.Object)
	if !ok {
		return nil, fmt.Errorf("%q must be an object", key)
	}
	return untypeProps(o.Props, depth)
}

func (f typedFields) value(key string, depth int) (any, bool, error) {
	v, ok := f.o.Get(key)
	if !ok {
		return nil, false, nil
	}
	v, err := untype(v, depth+1)
	return v, true, err
}

// typedArrayKinds are the typed arrays by their constructor's name.
var typedArrayKinds = func() map[string]jsvalue.TypedArrayKind {
	m := map[string]jsvalue.TypedArrayKind{}
	for k := jsvalue.KindInt8; k <= jsvalue.KindDataView; k++ {
		m[k.String()] = k
	}
	return m
}()

// untypeTagged makes the value a "$type" object names.
func untypeTagged(name string, f typedFields, depth int) (any, error) {
	switch name {
	case "undefined":
		return jsvalue.Undefined{}, nil
	case "hole":
		return jsvalue.Hole{}, nil
	case "bigint":
		s, err := f.str("value")
		if err != nil {
			return nil, err
		}
		n, ok := new(big.Int).SetString(s, 10)
		if !ok {
			return nil, fmt.Errorf("%q is not a decimal integer", s)
		}
		return n, nil
	case "number":
		return typedNumber(f)
	case "Date":
		if v, _ := f.o.Get("value"); v == nil {
			return jsvalue.InvalidDate{}, nil
		}
		s, err := f.str("value")
		if err != nil {
			return nil, err
		}
		return time.Parse(time.RFC3339Nano, s)
	case "RegExp":
		src, err := f.str("source")
		if err != nil {
			return nil, err
		}
		flags, _ := f.str("flags")
		return jsvalue.RegExp{Source: src, Flags: flags}, nil
	case "Buffer":
		return f.bytes("base64")
	case "ArrayBuffer":
		b, err := f.bytes("base64")
		return jsvalue.ArrayBuffer(b), err
	case "URL":
		href, err := f.str("href")
		return jsvalue.URL{Href: href}, err
	case "Boxed":
		v, _, err := f.value("value", depth)
		return jsvalue.Boxed{Value: v}, err
	case "object":
		ps, err := f.object("value", depth)
		return &jsvalue.Object{Props: ps}, err
	}
	if k, ok := typedArrayKinds[name]; ok {
		b, err := f.bytes("base64")
		if err == nil && len(b)%k.ElementSize() != 0 {
			err = fmt.Errorf("%d bytes are not whole %s elements", len(b), name)
		}
		return jsvalue.TypedArray{Kind: k, Data: b}, err
	}
	return untypeContainer(name, f, depth)
}

// typedNumber is NaN, Infinity or -Infinity.
func typedNumber(f typedFields) (any, error) {
	s, err := f.str("value")
	if err != nil {
		return nil, err
	}
	switch s {
	case "NaN":
		return math.NaN(), nil
	case "Infinity":
		return math.Inf(1), nil
	case "-Infinity":
		return math.Inf(-1), nil
	}
	return strconv.ParseFloat(s, 64)
}

// untypeContainer makes the "$type" objects that hold other values.
func untypeContainer(name string, f typedFields, depth int) (any, error) {
	switch name {
	case "Map":
		pairs, err := f.list("entries", depth)
		if err != nil {
			return nil, err
		}
		m := &jsvalue.Map{}
		for _, p := range pairs {
			kv, ok := p.([]any)
			if !ok || len(kv) != 2 {
				return nil, fmt.Errorf(`"entries" must hold [key, value] pairs`)
			}
			m.Entries = append(m.Entries, jsvalue.Entry{Key: kv[0], Value: kv[1]})
		}
		return m, nil
	case "Set":
		vs, err := f.list("values", depth)
		return &jsvalue.Set{Values: vs}, err
	case "Array":
		els, err := f.list("elements", depth)
		if err != nil {
			return nil, err
		}
		ps, err := f.object("props", depth)
		return &jsvalue.Array{Elements: els, Props: ps}, err
	case "SparseArray":
		return untypeSparse(f, depth)
	case "Error":
		return untypeError(f, depth)
	}
	return nil, fmt.Errorf("unknown type (see 'uvpipe fork -h')")
}

func untypeSparse(f typedFields, depth int) (any, error) {
	n, _ := f.o.Get("length")
	length, ok := n.(float64)
	if !ok || length < 0 || length > math.MaxUint32 || length != math.Trunc(length) {
		return nil, fmt.Errorf(`"length" must be an array length`)
	}
	els, err := f.object("elements", depth)
	if err != nil {
		return nil, err
	}
	a := &jsvalue.SparseArray{Length: uint32(length)}
	for _, e := range els {
		i, ok := jsvalue.IsIndexKey(e.Key)
		if !ok || i >= a.Length {
			return nil, fmt.Errorf("%q is not an index below the length", e.Key)
		}
		a.Elements = append(a.Elements, jsvalue.Element{Index: i, Value: e.Value})
	}
	a.Props, err = f.object("props", depth)
	return a, err
}

func untypeError(f typedFields, depth int) (any, error) {
	e := &jsvalue.Error{}
	e.Name, _ = f.str("name")
	e.Message, _ = f.str("message")
	if s, err := f.str("stack"); err == nil {
		e.Stack, e.HasStack = s, true
	}
	var err error
	if e.Cause, e.HasCause, err = f.value("cause", depth); err != nil {
		return nil, err
	}
	if _, ok := f.o.Get("errors"); ok {
		if e.Errors, err = f.list("errors", depth); err != nil {
			return nil, err
		}
	}
	return e, nil
}
