package nodeipc

import (
	"errors"
	"unsafe"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

// Bun's advanced mode marks Buffers out of band: JavaScriptCore writes a
// Buffer as a Uint8Array, so Bun sends a message holding Buffers as the
// envelope [message, buffers], where buffers lists the Buffers of message
// (the same objects, written as references). In the model a Buffer is a
// []byte and a Uint8Array a jsvalue.TypedArray of KindUint8.

// bytesKey identifies a byte slice by its memory: two occurrences of one
// Buffer in a value share it.
type bytesKey struct {
	p *byte
	n int
}

// keyOf returns b's key; ok is false for a slice with no capacity, which
// has no memory to be identified by (package jsc writes each such slice as
// an object of its own, so it cannot be listed as a Buffer: an empty []byte
// without capacity reaches Bun as an empty Uint8Array).
func keyOf(b []byte) (bytesKey, bool) {
	return bytesKey{unsafe.SliceData(b), len(b)}, cap(b) > 0
}

// walker visits every value of a model value once, following containers
// (each container once, so cycles end), and lets visit replace a leaf.
type walker struct {
	seen  map[any]bool
	visit func(v any) (any, bool) // the replacement of a leaf, if any
}

func (w *walker) once(p any) bool {
	if w.seen[p] {
		return false
	}
	if w.seen == nil {
		w.seen = map[any]bool{}
	}
	w.seen[p] = true
	return true
}

// set walks *p and stores its replacement, if any: a walk that only looks
// writes nothing.
func (w *walker) set(p *any) {
	if r, changed := w.walk(*p); changed {
		*p = r
	}
}

// walk returns v's replacement and true when visit replaced v; containers
// are changed in place.
func (w *walker) walk(v any) (any, bool) {
	switch x := v.(type) {
	case *jsvalue.Object:
		if x != nil && w.once(x) {
			for i := range x.Props {
				w.set(&x.Props[i].Value)
			}
		}
	case []any:
		if len(x) > 0 && w.once(&x[0]) {
			for i := range x {
				w.set(&x[i])
			}
		}
	case *jsvalue.Array:
		if x != nil && w.once(x) {
			for i := range x.Elements {
				w.set(&x.Elements[i])
			}
			for i := range x.Props {
				w.set(&x.Props[i].Value)
			}
		}
	case *jsvalue.SparseArray:
		if x != nil && w.once(x) {
			for i := range x.Elements {
				w.set(&x.Elements[i].Value)
			}
			for i := range x.Props {
				w.set(&x.Props[i].Value)
			}
		}
	case *jsvalue.Map:
		if x != nil && w.once(x) {
			for i := range x.Entries {
				w.set(&x.Entries[i].Key)
				w.set(&x.Entries[i].Value)
			}
		}
	case *jsvalue.Set:
		if x != nil && w.once(x) {
			for i := range x.Values {
				w.set(&x.Values[i])
			}
		}
	case *jsvalue.Error:
		if x != nil && w.once(x) {
			w.set(&x.Cause)
			for i := range x.Errors {
				w.set(&x.Errors[i])
			}
		}
	default:
		return w.visit(v)
	}
	return v, false
}

// collectBuffers returns the Buffers ([]byte) of a model value, each once,
// in the order met; nil when it holds none.
func collectBuffers(m any) []any {
	if !mayHoldBuffer(m) {
		return nil
	}
	var out []any
	var seen map[bytesKey]bool
	w := walker{visit: func(v any) (any, bool) {
		if b, ok := v.([]byte); ok {
			if k, ok := keyOf(b); ok && !seen[k] {
				if seen == nil {
					seen = map[bytesKey]bool{}
				}
				seen[k] = true
				out = append(out, b)
			}
		}
		return nil, false
	}}
	w.walk(m)
	return out
}

// mayHoldBuffer is false for the values that cannot hold a Buffer, so that
// the usual small message is not walked.
func mayHoldBuffer(m any) bool {
	switch m.(type) {
	case nil, bool, float64, string, jsvalue.Undefined:
		return false
	}
	return true
}

// errEnvelope is the error for a type-4 packet that is not [message,
// buffers].
var errEnvelope = errors.New("a Buffer envelope (packet type 4) that is not [message, [Uint8Array...]]")

// restoreBuffers takes the envelope [message, buffers] of a type-4 packet
// and returns message with each Uint8Array listed in buffers turned into a
// []byte (a Buffer in the model).
func restoreBuffers(env any) (any, error) {
	pair, ok := env.([]any)
	if !ok || len(pair) != 2 {
		return nil, errEnvelope
	}
	list, ok := pair[1].([]any)
	if !ok {
		return nil, errEnvelope
	}
	marked := make(map[bytesKey]bool, len(list))
	for _, b := range list {
		ta, ok := b.(jsvalue.TypedArray)
		if !ok || ta.Kind != jsvalue.KindUint8 {
			return nil, errEnvelope
		}
		if k, ok := keyOf(ta.Data); ok {
			marked[k] = true
		}
	}
	w := walker{visit: func(v any) (any, bool) {
		if ta, ok := v.(jsvalue.TypedArray); ok && ta.Kind == jsvalue.KindUint8 {
			if k, ok := keyOf(ta.Data); ok && marked[k] {
				return ta.Data, true
			}
		}
		return nil, false
	}}
	w.set(&pair[0])
	return pair[0], nil
}
