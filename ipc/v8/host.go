package v8

import (
	"reflect"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

// Node's type indexes for ArrayBufferViews written as host objects (lib/v8.js
// arrayBufferViewTypes): the position of the constructor in its table.
var kindToIndex = map[jsvalue.TypedArrayKind]uint64{
	jsvalue.KindInt8: 0, jsvalue.KindUint8: 1, jsvalue.KindUint8Clamped: 2,
	jsvalue.KindInt16: 3, jsvalue.KindUint16: 4, jsvalue.KindInt32: 5, jsvalue.KindUint32: 6,
	jsvalue.KindFloat32: 7, jsvalue.KindFloat64: 8, jsvalue.KindDataView: 9,
	jsvalue.KindBigInt64: 11, jsvalue.KindBigUint64: 12,
}

// bufferIndex is Node's type index of a Buffer (FastBuffer).
const bufferIndex = 10

var indexToKind = [...]jsvalue.TypedArrayKind{
	jsvalue.KindInt8, jsvalue.KindUint8, jsvalue.KindUint8Clamped,
	jsvalue.KindInt16, jsvalue.KindUint16, jsvalue.KindInt32, jsvalue.KindUint32,
	jsvalue.KindFloat32, jsvalue.KindFloat64, jsvalue.KindDataView,
	0, // Buffer: []byte
	jsvalue.KindBigInt64, jsvalue.KindBigUint64,
}

// hostView writes an ArrayBufferView as Node's ChildProcessSerializer does:
// host object tag, varint 0 (an ArrayBufferView), type index, byte length,
// bytes.
func (e *encoder) hostView(index uint64, data []byte) {
	e.buf = append(e.buf, tagHostObject, hostArrayBufferView)
	e.buf = appendVarint(e.buf, index)
	e.buf = appendVarint(e.buf, uint64(len(data)))
	e.buf = append(e.buf, data...)
}

func (e *encoder) typedArray(t jsvalue.TypedArray) error {
	index, ok := kindToIndex[t.Kind]
	if !ok {
		return &EncodeError{Type: reflect.TypeOf(t), Reason: t.Kind.String() + " has no Node 20 host object type index"}
	}
	if len(t.Data)%t.Kind.ElementSize() != 0 {
		return &EncodeError{Type: reflect.TypeOf(t), Reason: "byte length is not a multiple of the element size"}
	}
	if e.ref(sliceKey(t.Data, idTypedArray+uint8(t.Kind))) {
		return nil
	}
	e.hostView(index, t.Data)
	return nil
}

// viewSubtags maps the ArrayBufferView sub-tags of V8's own 'V' form (never
// used by Node's IPC, where views are host objects) to kinds.
var viewSubtags = map[uint64]jsvalue.TypedArrayKind{
	'b': jsvalue.KindInt8, 'B': jsvalue.KindUint8, 'C': jsvalue.KindUint8Clamped,
	'w': jsvalue.KindInt16, 'W': jsvalue.KindUint16, 'd': jsvalue.KindInt32, 'D': jsvalue.KindUint32,
	'h': jsvalue.KindFloat16, 'f': jsvalue.KindFloat32, 'F': jsvalue.KindFloat64,
	'q': jsvalue.KindBigInt64, 'Q': jsvalue.KindBigUint64, '?': jsvalue.KindDataView,
}

// arrayBuffer reads an ArrayBuffer ('B' length bytes) or a resizable one
// ('~' length maxLength bytes), and a 'V' view over it if one follows.
func (d *decoder) arrayBuffer(t byte) (any, error) {
	d.newID(nil)
	n, err := d.varint()
	if err != nil {
		return nil, err
	}
	if t == tagResizableBuffer {
		max, err := d.varint()
		if err != nil {
			return nil, err
		}
		if n > max {
			return nil, d.fail(ErrMalformed, "resizable ArrayBuffer length %d beyond its maximum %d", n, max)
		}
	}
	if n > uint64(len(d.data)-d.pos) {
		return nil, d.fail(ErrLength, "ArrayBuffer of %d bytes, %d remain", n, len(d.data)-d.pos)
	}
	buf := jsvalue.ArrayBuffer(d.byteValue(int(n)))
	d.objs[len(d.objs)-1] = buf
	if d.pos < len(d.data) && d.data[d.pos] == tagArrayBufferView {
		d.pos++
		return d.view(buf)
	}
	return buf, nil
}

// view reads V8's own ArrayBufferView form: sub-tag, offset, length and
// (from version 14) flags.
func (d *decoder) view(buf jsvalue.ArrayBuffer) (any, error) {
	var f [3]uint64
	sub, err := d.varint()
	if err != nil {
		return nil, err
	}
	for i := range 2 {
		if f[i], err = d.varint(); err != nil {
			return nil, err
		}
	}
	if d.version >= 14 {
		if f[2], err = d.varint(); err != nil {
			return nil, err
		}
	}
	kind, ok := viewSubtags[sub]
	if !ok {
		return nil, d.fail(ErrMalformed, "unknown view sub-tag 0x%02x", sub)
	}
	off, n := f[0], f[1]
	if off > uint64(len(buf)) || n > uint64(len(buf))-off || n%uint64(kind.ElementSize()) != 0 {
		return nil, d.fail(ErrMalformed, "view [%d, +%d) of a %d-byte ArrayBuffer", off, n, len(buf))
	}
	v := jsvalue.TypedArray{Kind: kind, Data: []byte(buf[off : off+n])}
	d.newID(v)
	return v, nil
}

// hostObject reads a host object as Node's ChildProcessDeserializer does:
// varint 0 and an ArrayBufferView (type index, byte length, bytes), or
// varint 1 and a value.
func (d *decoder) hostObject() (any, error) {
	id := d.newID(pending{})
	sub, err := d.varint()
	if err != nil {
		return nil, err
	}
	switch sub {
	case hostNotArrayBufferView:
		if err := d.enter(); err != nil {
			return nil, err
		}
		v, err := d.value()
		if err != nil {
			return nil, err
		}
		d.depth--
		d.objs[id] = v
		return v, nil
	case hostArrayBufferView:
	default:
		return nil, d.fail(ErrMalformed, "host object sub-tag %d", sub)
	}
	index, err := d.varint()
	if err != nil {
		return nil, err
	}
	n, err := d.length()
	if err != nil {
		return nil, err
	}
	if index >= uint64(len(indexToKind)) {
		return nil, d.fail(ErrMalformed, "unknown ArrayBufferView type index %d", index)
	}
	data := d.byteValue(n)
	if index == bufferIndex {
		d.objs[id] = data
		return data, nil
	}
	kind := indexToKind[index]
	if n%kind.ElementSize() != 0 {
		return nil, d.fail(ErrMalformed, "%s of %d bytes", kind, n)
	}
	v := jsvalue.TypedArray{Kind: kind, Data: data}
	d.objs[id] = v
	return v, nil
}

// byteValue reads n bytes for a decoded Buffer, ArrayBuffer or typed array:
// a sub-slice of the input (capacity cut to its length, so that appending to
// it never writes over the input) when aliasing, else a copy. An empty value
// is always a fresh slice, so that it has an identity of its own.
func (d *decoder) byteValue(n int) []byte {
	p := d.bytes(n)
	if d.alias && n > 0 {
		d.aliased = true
		return p
	}
	return clone(p)
}

// clone copies p in one pass (append to nil does not zero the memory first).
// An empty result has a capacity of one so that it has an identity of its own.
func clone(p []byte) []byte {
	if len(p) == 0 {
		return make([]byte, 0, 1)
	}
	return append([]byte(nil), p...)
}
