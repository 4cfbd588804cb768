package jsvalue

import (
	"fmt"
)

// Undefined is JavaScript's undefined. It differs from nil (null).
type Undefined struct{}

// Hole is a missing element of a dense array, as in [1, , 3].
type Hole struct{}

// InvalidDate is a Date whose time value is NaN (new Date(NaN)).
type InvalidDate struct{}

// Property is one own property of an object: a string key and its value.
type Property struct {
	Key   string
	Value any
}

// Object is a plain JavaScript object: its own enumerable string-keyed
// properties, in order. Encoders write them in JavaScript's order (integer-like
// keys ascending first, then the others in the order held here), as a real
// JavaScript object would enumerate them.
type Object struct {
	Props []Property
}

// NewObject returns an object with the given key, value pairs, in order.
// It panics if kv has an odd length or a key is not a string.
func NewObject(kv ...any) *Object {
	if len(kv)%2 != 0 {
		panic("jsvalue: NewObject needs key, value pairs")
	}
	o := &Object{Props: make([]Property, 0, len(kv)/2)}
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			panic(fmt.Sprintf("jsvalue: NewObject key %v is not a string", kv[i]))
		}
		o.Set(k, kv[i+1])
	}
	return o
}

// Get returns the value of key and whether the object has it.
func (o *Object) Get(key string) (any, bool) {
	for _, p := range o.Props {
		if p.Key == key {
			return p.Value, true
		}
	}
	return nil, false
}

// Set replaces the value of key, or appends the property if it is new.
func (o *Object) Set(key string, v any) {
	for i := range o.Props {
		if o.Props[i].Key == key {
			o.Props[i].Value = v
			return
		}
	}
	o.Props = append(o.Props, Property{Key: key, Value: v})
}

// Keys returns the keys in the order held.
func (o *Object) Keys() []string {
	keys := make([]string, len(o.Props))
	for i, p := range o.Props {
		keys[i] = p.Key
	}
	return keys
}

// Array is a dense array that also has named (non-index) properties, which a
// plain []any cannot carry.
type Array struct {
	Elements []any // may hold Hole{}
	Props    []Property
}

// Element is one present element of a sparse array.
type Element struct {
	Index uint32
	Value any
}

// SparseArray is an array stored by its present elements, as V8 writes arrays
// with few elements for their length (new Array(1000) with one element set).
type SparseArray struct {
	Length   uint32
	Elements []Element // ascending Index
	Props    []Property
}

// Entry is one key, value pair of a Map.
type Entry struct {
	Key   any
	Value any
}

// Map is a JavaScript Map, entries in insertion order.
type Map struct {
	Entries []Entry
}

// Set is a JavaScript Set, values in insertion order.
type Set struct {
	Values []any
}

// RegExp is a regular expression: its source and its flags ("gi").
type RegExp struct {
	Source string
	Flags  string
}

// String returns the regular expression as a JavaScript literal would show it.
func (r RegExp) String() string { return "/" + r.Source + "/" + r.Flags }

// Boxed is a primitive wrapper object: new Number(1), new String("s"),
// new Boolean(true) or Object(1n). Value is the float64, string, bool or
// *big.Int inside.
type Boxed struct {
	Value any
}

// ArrayBuffer is a JavaScript ArrayBuffer. A plain []byte is a Node Buffer (a
// Uint8Array) instead.
type ArrayBuffer []byte

// URL is a WHATWG URL as bare-structured-clone carries it.
type URL struct {
	Href string
}

// TypedArrayKind names the type of a TypedArray.
type TypedArrayKind uint8

// The kinds of typed array. KindBuffer is a Node or Bare Buffer held as a
// TypedArray; a plain []byte means the same.
const (
	KindInt8 TypedArrayKind = iota + 1
	KindUint8
	KindUint8Clamped
	KindInt16
	KindUint16
	KindInt32
	KindUint32
	KindFloat16
	KindFloat32
	KindFloat64
	KindBigInt64
	KindBigUint64
	KindDataView
)

var kindNames = [...]string{
	KindInt8: "Int8Array", KindUint8: "Uint8Array", KindUint8Clamped: "Uint8ClampedArray",
	KindInt16: "Int16Array", KindUint16: "Uint16Array", KindInt32: "Int32Array", KindUint32: "Uint32Array",
	KindFloat16: "Float16Array", KindFloat32: "Float32Array", KindFloat64: "Float64Array",
	KindBigInt64: "BigInt64Array", KindBigUint64: "BigUint64Array", KindDataView: "DataView",
}

// String returns the JavaScript constructor's name.
func (k TypedArrayKind) String() string {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return fmt.Sprintf("TypedArrayKind(%d)", uint8(k))
}

// ElementSize returns the size in bytes of one element (1 for a DataView).
func (k TypedArrayKind) ElementSize() int {
	switch k {
	case KindInt16, KindUint16, KindFloat16:
		return 2
	case KindInt32, KindUint32, KindFloat32:
		return 4
	case KindFloat64, KindBigInt64, KindBigUint64:
		return 8
	default:
		return 1
	}
}

// TypedArray is a typed array or DataView: its kind and its bytes, in
// little-endian order (the order of every platform Node, Bun and Bare run on).
type TypedArray struct {
	Kind TypedArrayKind
	Data []byte
}

// ErrorName codes are the JavaScript error constructors a codec can carry.
const (
	ErrorNameError          = "Error"
	ErrorNameEvalError      = "EvalError"
	ErrorNameRangeError     = "RangeError"
	ErrorNameReferenceError = "ReferenceError"
	ErrorNameSyntaxError    = "SyntaxError"
	ErrorNameTypeError      = "TypeError"
	ErrorNameURIError       = "URIError"
	ErrorNameAggregateError = "AggregateError"
)

// Error is a JavaScript Error. It implements the error interface.
type Error struct {
	Name     string // "Error", "TypeError", ...; empty means "Error"
	Message  string
	Stack    string
	HasStack bool
	Cause    any
	HasCause bool
	Errors   []any // AggregateError's errors
}

// Error returns "Name: Message", as JavaScript's Error.prototype.toString.
func (e *Error) Error() string {
	name := e.Name
	if name == "" {
		name = ErrorNameError
	}
	if e.Message == "" {
		return name
	}
	return name + ": " + e.Message
}

// Unwrap returns the cause when it is itself an error.
func (e *Error) Unwrap() error {
	if err, ok := e.Cause.(error); ok && e.HasCause {
		return err
	}
	return nil
}
