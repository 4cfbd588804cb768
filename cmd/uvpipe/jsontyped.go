package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"time"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

// typedJSONAbout documents the "typed JSON" that fork prints and reads: JSON,
// with the values JSON lacks written as objects carrying a "$type".
const typedJSONAbout = `Values JSON lacks are written as objects with a "$type" key,
both in what is printed and in what is read from stdin:
{"$type":"undefined"}; {"$type":"bigint","value":"123"};
{"$type":"number","value":"NaN"} (also "Infinity", "-Infinity");
{"$type":"Date","value":"2024-01-02T03:04:05.678Z"} (null for an invalid
Date); {"$type":"RegExp","source":"a+","flags":"g"};
{"$type":"Map","entries":[[key,value],...]}; {"$type":"Set","values":[...]};
{"$type":"Buffer","base64":"..."}, {"$type":"ArrayBuffer","base64":"..."}
and {"$type":"Uint8Array","base64":"..."} for each typed array and DataView
(their bytes, little-endian); {"$type":"Error","name":"TypeError",
"message":"...","stack":"..."} (with "cause" and "errors" when present);
{"$type":"Boxed","value":v} for new Number(1) and the like;
{"$type":"hole"} for an array hole; {"$type":"Array","elements":[...],
"props":{...}} for an array with named properties;
{"$type":"SparseArray","length":n,"elements":{"index":v},"props":{...}};
{"$type":"URL","href":"..."}; {"$type":"circular"} where a value refers to
one that contains it; and {"$type":"object","value":{...}} for a plain
object that has a "$type" key of its own.`

// maxTypedDepth bounds the nesting the typed JSON writer and reader follow.
const maxTypedDepth = 1000

// errTooDeep is a value nested more than maxTypedDepth levels.
var errTooDeep = errors.New("value nested too deeply")

// typedJSON writes v, a value of jsvalue's model, as one line of typed JSON
// (without the newline).
func typedJSON(v any) ([]byte, error) {
	w := typedWriter{onStack: map[any]bool{}}
	err := w.value(v, 0)
	return w.buf.Bytes(), err
}

// typedWriter writes typed JSON into buf; onStack holds the containers
// being written, to spot cycles.
type typedWriter struct {
	buf     bytes.Buffer
	onStack map[any]bool
}

// str writes s as a JSON string.
func (w *typedWriter) str(s string) {
	b, _ := json.Marshal(s)
	w.buf.Write(b)
}

// tag starts a "$type" object: {"$type":name and, when key is set, ,"key":.
func (w *typedWriter) tag(name, key string) {
	w.buf.WriteString(`{"$type":`)
	w.str(name)
	if key != "" {
		w.buf.WriteByte(',')
		w.str(key)
		w.buf.WriteByte(':')
	}
}

// tagged writes {"$type":name,"key":<value>}.
func (w *typedWriter) tagged(name, key string, value func() error) error {
	w.tag(name, key)
	if err := value(); err != nil {
		return err
	}
	w.buf.WriteByte('}')
	return nil
}

// tagString writes {"$type":name,"key":"s"}.
func (w *typedWriter) tagString(name, key, s string) {
	w.tag(name, key)
	w.str(s)
	w.buf.WriteByte('}')
}

func (w *typedWriter) value(v any, depth int) error {
	if depth > maxTypedDepth {
		return errTooDeep
	}
	switch x := v.(type) {
	case nil:
		w.buf.WriteString("null")
	case bool:
		w.buf.WriteString(strconv.FormatBool(x))
	case float64:
		w.number(x)
	case string:
		w.str(x)
	case jsvalue.Undefined:
		w.buf.WriteString(`{"$type":"undefined"}`)
	case jsvalue.Hole:
		w.buf.WriteString(`{"$type":"hole"}`)
	case *big.Int:
		w.tagString("bigint", "value", x.String())
	case time.Time:
		w.tagString("Date", "value", x.UTC().Format("2006-01-02T15:04:05.000Z"))
	case jsvalue.InvalidDate:
		w.buf.WriteString(`{"$type":"Date","value":null}`)
	case jsvalue.RegExp:
		w.tagString("RegExp", "source", x.Source)
		w.buf.Truncate(w.buf.Len() - 1) // reopen it for the flags
		w.buf.WriteString(`,"flags":`)
		w.str(x.Flags)
		w.buf.WriteByte('}')
	case []byte:
		w.tagString("Buffer", "base64", base64.StdEncoding.EncodeToString(x))
	case jsvalue.ArrayBuffer:
		w.tagString("ArrayBuffer", "base64", base64.StdEncoding.EncodeToString(x))
	case jsvalue.TypedArray:
		w.tagString(x.Kind.String(), "base64", base64.StdEncoding.EncodeToString(x.Data))
	case jsvalue.URL:
		w.tagString("URL", "href", x.Href)
	case jsvalue.Boxed:
		return w.tagged("Boxed", "value", func() error { return w.value(x.Value, depth+1) })
	default:
		return w.container(v, depth)
	}
	return nil
}

// number writes a float64 as JSON.stringify does, and the numbers JSON lacks
// as {"$type":"number"}.
func (w *typedWriter) number(f float64) {
	switch {
	case math.IsNaN(f):
		w.tagString("number", "value", "NaN")
	case math.IsInf(f, 1):
		w.tagString("number", "value", "Infinity")
	case math.IsInf(f, -1):
		w.tagString("number", "value", "-Infinity")
	default:
		b, _ := json.Marshal(f) // ES6 number formatting
		w.buf.Write(b)
	}
}

// container writes the values that hold others, watching for cycles.
func (w *typedWriter) container(v any, depth int) error {
	id := identityOf(v)
	if id != nil {
		if w.onStack[id] {
			w.buf.WriteString(`{"$type":"circular"}`)
			return nil
		}
		w.onStack[id] = true
		defer delete(w.onStack, id)
	}
	switch x := v.(type) {
	case []any:
		return w.list(x, depth)
	case *jsvalue.Object:
		if _, ok := x.Get("$type"); ok {
			return w.tagged("object", "value", func() error { return w.props(x.Props, depth) })
		}
		return w.props(x.Props, depth)
	case *jsvalue.Array:
		return w.tagged("Array", "elements", func() error {
			if err := w.list(x.Elements, depth); err != nil {
				return err
			}
			w.buf.WriteString(`,"props":`)
			return w.props(x.Props, depth)
		})
	case *jsvalue.SparseArray:
		return w.sparse(x, depth)
	case *jsvalue.Map:
		return w.tagged("Map", "entries", func() error {
			pairs := make([]any, len(x.Entries))
			for i, e := range x.Entries {
				pairs[i] = []any{e.Key, e.Value}
			}
			return w.list(pairs, depth)
		})
	case *jsvalue.Set:
		return w.tagged("Set", "values", func() error { return w.list(x.Values, depth) })
	case *jsvalue.Error:
		return w.jsError(x, depth)
	}
	return fmt.Errorf("a %T is not a JavaScript value", v)
}

// identityOf is what makes a container the same one when met again, or nil.
func identityOf(v any) any {
	switch x := v.(type) {
	case []any:
		if len(x) > 0 {
			return &x[0]
		}
	case *jsvalue.Object, *jsvalue.Array, *jsvalue.SparseArray, *jsvalue.Map, *jsvalue.Set, *jsvalue.Error:
		return x
	}
	return nil
}

func (w *typedWriter) list(xs []any, depth int) error {
	w.buf.WriteByte('[')
	for i, x := range xs {
		if i > 0 {
			w.buf.WriteByte(',')
		}
		if err := w.value(x, depth+1); err != nil {
			return err
		}
	}
	w.buf.WriteByte(']')
	return nil
}

func (w *typedWriter) props(ps []jsvalue.Property, depth int) error {
	w.buf.WriteByte('{')
	if err := w.members(ps, false, depth); err != nil {
		return err
	}
	w.buf.WriteByte('}')
	return nil
}

// members writes ps as "key":value pairs separated by commas, with a comma
// before the first too when more is set.
func (w *typedWriter) members(ps []jsvalue.Property, more bool, depth int) error {
	for i, p := range ps {
		if i > 0 || more {
			w.buf.WriteByte(',')
		}
		w.str(p.Key)
		w.buf.WriteByte(':')
		if err := w.value(p.Value, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// sparse writes a sparse array; one with every element present and no
// named properties (V8 writes arrays of objects that way) is the plain
// array JavaScript sees.
func (w *typedWriter) sparse(x *jsvalue.SparseArray, depth int) error {
	if dense, ok := denseElements(x); ok {
		return w.list(dense, depth)
	}
	fmt.Fprintf(&w.buf, `{"$type":"SparseArray","length":%d,"elements":`, x.Length)
	els := make([]jsvalue.Property, len(x.Elements))
	for i, e := range x.Elements {
		els[i] = jsvalue.Property{Key: strconv.FormatUint(uint64(e.Index), 10), Value: e.Value}
	}
	if err := w.props(els, depth); err != nil {
		return err
	}
	w.buf.WriteString(`,"props":`)
	if err := w.props(x.Props, depth); err != nil {
		return err
	}
	w.buf.WriteByte('}')
	return nil
}

func (w *typedWriter) jsError(e *jsvalue.Error, depth int) error {
	name := e.Name
	if name == "" {
		name = jsvalue.ErrorNameError
	}
	props := []jsvalue.Property{{Key: "name", Value: name}, {Key: "message", Value: e.Message}}
	if e.HasStack {
		props = append(props, jsvalue.Property{Key: "stack", Value: e.Stack})
	}
	if e.HasCause {
		props = append(props, jsvalue.Property{Key: "cause", Value: e.Cause})
	}
	if e.Errors != nil {
		props = append(props, jsvalue.Property{Key: "errors", Value: e.Errors})
	}
	w.buf.WriteString(`{"$type":"Error"`)
	if err := w.members(props, true, depth); err != nil {
		return err
	}
	w.buf.WriteByte('}')
	return nil
}

// denseElements are the elements of a sparse array that has them all and
// no named properties.
func denseElements(x *jsvalue.SparseArray) ([]any, bool) {
	if len(x.Props) > 0 || len(x.Elements) != int(x.Length) {
		return nil, false
	}
	out := make([]any, len(x.Elements))
	for i, e := range x.Elements {
		if e.Index != uint32(i) {
			return nil, false
		}
		out[i] = e.Value
	}
	return out, true
}
