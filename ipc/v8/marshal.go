package v8

import (
	"errors"
	"sync"
)

var encoderPool = sync.Pool{New: func() any { return new(encoder) }}

// Marshal returns the V8 serialization of v: the header 0xFF 0x0F and one
// value, byte for byte as Node 22's child_process "advanced" mode writes it
// (without the length prefix; see Encoder for the framing). Node 20 writes
// the same bytes but for an Error with both a stack and a cause (see the
// package documentation).
//
// Values of the jsvalue model are written directly; other Go values are
// turned into the model by jsvalue.FromGo first.
func Marshal(v any) ([]byte, error) {
	return Append(nil, v)
}

// Append appends the V8 serialization of v to dst and returns the extended
// slice. On error dst is returned unchanged in length.
func Append(dst []byte, v any) ([]byte, error) {
	return appendValue(dst, v, DefaultMaxDepth)
}

func appendValue(dst []byte, v any, maxDepth int) ([]byte, error) {
	e := encoderPool.Get().(*encoder)
	e.reset(dst, maxDepth)
	err := e.marshal(v)
	out := e.buf
	e.buf = nil
	encoderPool.Put(e)
	if err != nil {
		return dst, err
	}
	return out, nil
}

// Decode decodes one V8 serialized value (header and value) into the
// jsvalue model. It accepts format versions 13 to 15. Errors are
// *DecodeError.
//
// The result owns its memory: Buffers, ArrayBuffers and typed arrays are
// copies, and nothing refers to data afterwards (see DecodeOptions for a
// decode that shares data's memory instead).
func Decode(data []byte) (any, error) {
	v, _, err := decodeValue(data, DefaultMaxDepth, false)
	return v, err
}

var decoderPool = sync.Pool{New: func() any { return new(decoder) }}

// decodeValue decodes data; with alias set, the byte values of the result
// are sub-slices of data, and aliased tells whether there are any.
func decodeValue(data []byte, maxDepth int, alias bool) (v any, aliased bool, err error) {
	d := decoderPool.Get().(*decoder)
	d.data, d.pos, d.depth, d.maxDepth = data, 0, 0, maxDepth
	d.alias, d.aliased = alias, false
	v, err = d.decode()
	aliased = d.aliased
	clear(d.objs)
	clear(d.scratch[:cap(d.scratch)])
	d.data, d.objs, d.scratch = nil, d.objs[:0], d.scratch[:0]
	if cap(d.objs) <= 1024 && cap(d.scratch) <= 1024 {
		decoderPool.Put(d)
	}
	return v, aliased, err
}

// Unmarshal decodes one V8 serialized value and stores it in v, which must be
// a non-nil pointer. A *any receives the jsvalue model, as Decode returns it;
// other types are filled by jsvalue.Assign, the way encoding/json's
// Unmarshal fills them.
func Unmarshal(data []byte, v any) error {
	_, err := unmarshal(data, v, DefaultMaxDepth, false)
	return err
}

// unmarshal decodes data into v; with alias set, byte values may share
// data's memory, and aliased tells whether any does.
func unmarshal(data []byte, v any, maxDepth int, alias bool) (aliased bool, err error) {
	if v == nil {
		return false, errors.New("v8: Unmarshal(nil)")
	}
	m, aliased, err := decodeValue(data, maxDepth, alias)
	if err != nil {
		return false, err
	}
	if p, ok := v.(*any); ok && p != nil {
		*p = m
		return aliased, nil
	}
	return aliased, assign(m, v)
}
