package v8

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/big"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

// openArray is a dense array being read. A reference to it from inside
// makes it a *jsvalue.Array (wrap), since whether it has named properties is
// known only at its end.
type openArray struct {
	wrap *jsvalue.Array
}

// pending marks an object id whose value is still being read (the inner
// value of a host object), which cannot be referred to yet.
type pending struct{}

// decoder reads one V8 value from data.
type decoder struct {
	data     []byte
	pos      int
	version  uint64
	objs     []any              // by object id
	scratch  []jsvalue.Property // properties being read, innermost object last
	depth    int
	maxDepth int
	alias    bool // byte values are sub-slices of data, not copies
	aliased  bool // some byte value of the result is a sub-slice of data
}

func (d *decoder) fail(err error, format string, args ...any) error {
	detail := format
	if len(args) > 0 {
		detail = fmt.Sprintf(format, args...)
	}
	return &DecodeError{Offset: d.pos, Err: err, Detail: detail}
}

func (d *decoder) truncated() error { return &DecodeError{Offset: d.pos, Err: ErrTruncated} }

// decode reads the header and one value, and checks nothing but padding
// follows.
func (d *decoder) decode() (any, error) {
	if d.maxDepth <= 0 {
		d.maxDepth = DefaultMaxDepth
	}
	if len(d.data) == 0 {
		return nil, d.truncated()
	}
	if d.data[0] != tagVersion {
		return nil, d.fail(ErrBadHeader, "first byte 0x%02x, want 0xff", d.data[0])
	}
	d.pos = 1
	v, err := d.varint()
	if err != nil {
		return nil, err
	}
	if v < MinVersion || v > Version {
		return nil, d.fail(ErrVersion, "version %d, want %d..%d", v, MinVersion, Version)
	}
	d.version = v
	out, err := d.value()
	if err != nil {
		return nil, err
	}
	for d.pos < len(d.data) && d.data[d.pos] == tagPadding {
		d.pos++
	}
	if d.pos != len(d.data) {
		return nil, d.fail(ErrTrailingData, "%d bytes", len(d.data)-d.pos)
	}
	return out, nil
}

// varint reads a varint of at most 32 bits.
func (d *decoder) varint() (uint64, error) {
	var v uint64
	for shift := 0; ; shift += 7 {
		if d.pos >= len(d.data) {
			return 0, d.truncated()
		}
		c := d.data[d.pos]
		d.pos++
		if shift >= 35 || (shift == 28 && c&0x7F > 0x0F) {
			return 0, d.fail(ErrMalformed, "varint exceeds 32 bits")
		}
		v |= uint64(c&0x7F) << shift
		if c < 0x80 {
			return v, nil
		}
	}
}

// length reads a varint byte count and checks that many bytes remain.
func (d *decoder) length() (int, error) {
	n, err := d.varint()
	if err != nil {
		return 0, err
	}
	if n > uint64(len(d.data)-d.pos) {
		return 0, d.fail(ErrLength, "%d bytes announced, %d remain", n, len(d.data)-d.pos)
	}
	return int(n), nil
}

// count reads a varint element count, each element taking at least one byte.
func (d *decoder) count() (int, error) { return d.length() }

func (d *decoder) bytes(n int) []byte {
	p := d.data[d.pos : d.pos+n : d.pos+n]
	d.pos += n
	return p
}

func (d *decoder) double() (float64, error) {
	if len(d.data)-d.pos < 8 {
		return 0, d.truncated()
	}
	f := math.Float64frombits(binary.LittleEndian.Uint64(d.data[d.pos:]))
	d.pos += 8
	return f, nil
}

// tag reads the next tag, skipping padding.
func (d *decoder) tag() (byte, error) {
	for d.pos < len(d.data) {
		c := d.data[d.pos]
		d.pos++
		if c != tagPadding {
			return c, nil
		}
	}
	return 0, d.truncated()
}

// peek returns the next tag without consuming it, skipping padding.
func (d *decoder) peek() (byte, error) {
	for d.pos < len(d.data) && d.data[d.pos] == tagPadding {
		d.pos++
	}
	if d.pos >= len(d.data) {
		return 0, d.truncated()
	}
	return d.data[d.pos], nil
}

func (d *decoder) newID(v any) int {
	d.objs = append(d.objs, v)
	return len(d.objs) - 1
}

func (d *decoder) enter() error {
	d.depth++
	if d.depth > d.maxDepth {
		return d.fail(ErrTooDeep, "limit %d", d.maxDepth)
	}
	return nil
}

func (d *decoder) value() (any, error) {
	t, err := d.tag()
	if err != nil {
		return nil, err
	}
	switch t {
	case tagVerifyObjectCount:
		if _, err := d.varint(); err != nil {
			return nil, err
		}
		return d.value()
	case tagUndefined:
		return jsvalue.Undefined{}, nil
	case tagNull:
		return nil, nil
	case tagTrue:
		return true, nil
	case tagFalse:
		return false, nil
	case tagInt32:
		v, err := d.varint()
		if err != nil {
			return nil, err
		}
		u := uint32(v)
		return float64(int32(u>>1) ^ -int32(u&1)), nil
	case tagUint32:
		v, err := d.varint()
		return float64(v), err
	case tagDouble:
		return d.double()
	case tagBigInt:
		return d.bigint()
	case tagUtf8String, tagOneByteString, tagTwoByteString:
		return d.stringBody(t)
	case tagObjectReference:
		return d.reference()
	case tagBeginJSObject:
		return d.object()
	case tagBeginDenseArray:
		return d.denseArray()
	case tagBeginSparseArray:
		return d.sparseArray()
	case tagDate:
		d.newID(nil)
		f, err := d.double()
		if err != nil {
			return nil, err
		}
		v := dateValue(f)
		d.objs[len(d.objs)-1] = v
		return v, nil
	case tagTrueObject, tagFalseObject:
		v := jsvalue.Boxed{Value: t == tagTrueObject}
		d.newID(v)
		return v, nil
	case tagNumberObject:
		f, err := d.double()
		v := jsvalue.Boxed{Value: f}
		d.newID(v)
		return v, err
	case tagBigIntObject:
		b, err := d.bigint()
		v := jsvalue.Boxed{Value: b}
		d.newID(v)
		return v, err
	case tagStringObject:
		id := d.newID(nil)
		s, err := d.string()
		v := jsvalue.Boxed{Value: s}
		d.objs[id] = v
		return v, err
	case tagRegExp:
		return d.regexp()
	case tagBeginMap:
		return d.mapValue()
	case tagBeginSet:
		return d.setValue()
	case tagArrayBuffer, tagResizableBuffer:
		return d.arrayBuffer(t)
	case tagHostObject:
		return d.hostObject()
	case tagError:
		return d.errorValue()
	case tagSharedArrayBuffer, tagArrayBufferXfer, tagSharedObject, tagWasmModuleXfer, tagWasmMemoryXfer:
		d.pos--
		return nil, d.fail(ErrNotPortable, "tag %q (%s)", rune(t), notPortableName(t))
	case tagTheHole:
		d.pos--
		return nil, d.fail(ErrMalformed, "hole outside a dense array")
	}
	d.pos--
	return nil, d.fail(ErrUnknownTag, "0x%02x", t)
}

func notPortableName(t byte) string {
	switch t {
	case tagSharedArrayBuffer:
		return "SharedArrayBuffer"
	case tagArrayBufferXfer:
		return "transferred ArrayBuffer"
	case tagSharedObject:
		return "shared object"
	case tagWasmModuleXfer:
		return "WebAssembly module"
	}
	return "WebAssembly memory"
}

// dateValue turns a time value into time.Time (UTC), or InvalidDate for NaN
// and values beyond ±8.64e15 ms, which a Date cannot hold.
func dateValue(ms float64) any {
	if ms != ms || ms > 8.64e15 || ms < -8.64e15 {
		return jsvalue.InvalidDate{}
	}
	i := int64(ms) // truncated toward zero, as TimeClip
	return time.UnixMilli(i).UTC()
}

func (d *decoder) bigint() (*big.Int, error) {
	bitfield, err := d.varint()
	if err != nil {
		return nil, err
	}
	n := uint64(bitfield >> 1)
	if n > uint64(len(d.data)-d.pos) {
		return nil, d.fail(ErrLength, "bigint of %d bytes, %d remain", n, len(d.data)-d.pos)
	}
	p := d.bytes(int(n))
	be := make([]byte, len(p))
	for i, c := range p {
		be[len(p)-1-i] = c
	}
	x := new(big.Int).SetBytes(be)
	if bitfield&1 != 0 {
		x.Neg(x)
	}
	return x, nil
}

// string reads a string value (after padding), as V8's ReadString.
func (d *decoder) string() (string, error) {
	t, err := d.tag()
	if err != nil {
		return "", err
	}
	switch t {
	case tagUtf8String, tagOneByteString, tagTwoByteString:
		return d.stringBody(t)
	}
	d.pos--
	return "", d.fail(ErrMalformed, "want a string, found tag 0x%02x", t)
}

func (d *decoder) stringBody(t byte) (string, error) {
	n, err := d.length()
	if err != nil {
		return "", err
	}
	p := d.bytes(n)
	switch t {
	case tagOneByteString:
		return latin1String(p), nil
	case tagTwoByteString:
		if n%2 != 0 {
			d.pos -= n
			return "", d.fail(ErrMalformed, "two-byte string of odd length %d", n)
		}
		return utf16String(p), nil
	}
	if !utf8.Valid(p) {
		d.pos -= n
		return "", d.fail(ErrInvalidUTF8, "in a UTF-8 string of %d bytes", n)
	}
	return string(p), nil
}

func (d *decoder) reference() (any, error) {
	at := d.pos - 1
	id, err := d.varint()
	if err != nil {
		return nil, err
	}
	if id >= uint64(len(d.objs)) {
		return nil, &DecodeError{Offset: at, Err: ErrBadReference, Detail: fmt.Sprintf("id %d, %d objects so far", id, len(d.objs))}
	}
	v := d.objs[id]
	if o, ok := v.(*openArray); ok {
		if o.wrap == nil {
			o.wrap = &jsvalue.Array{}
		}
		return o.wrap, nil
	}
	if _, ok := v.(pending); ok {
		return nil, &DecodeError{Offset: at, Err: ErrBadReference, Detail: fmt.Sprintf("id %d is not complete", id)}
	}
	return v, nil
}

// key reads a property key: a string, or a number turned into its string.
func (d *decoder) key() (string, error) {
	at := d.pos
	k, err := d.value()
	if err != nil {
		return "", err
	}
	switch x := k.(type) {
	case string:
		return x, nil
	case float64:
		return jsvalue.NumberString(x), nil
	}
	return "", &DecodeError{Offset: at, Err: ErrMalformed, Detail: "property key is neither a string nor a number"}
}

// props reads key/value pairs until the end tag into *ps and returns how
// many were read; index keys go to elem when it is not nil. Properties are
// gathered on a stack shared by the nested objects and copied out once, so an
// object costs one allocation for its properties.
func (d *decoder) props(end byte, ps *[]jsvalue.Property, elem func(uint32, any)) (int, error) {
	base := len(d.scratch)
	defer func() { d.scratch = d.scratch[:base] }()
	n := 0
	for {
		t, err := d.peek()
		if err != nil {
			return 0, err
		}
		if t == end {
			d.pos++
			if len(d.scratch) > base {
				*ps = append([]jsvalue.Property(nil), d.scratch[base:]...)
			}
			return n, nil
		}
		k, err := d.key()
		if err != nil {
			return 0, err
		}
		v, err := d.value()
		if err != nil {
			return 0, err
		}
		n++
		if elem != nil {
			if idx, ok := jsvalue.IsIndexKey(k); ok {
				elem(idx, v)
				continue
			}
		}
		d.setProp(base, k, v)
	}
}

// setProp sets k as JavaScript does: a repeated key keeps its first place.
func (d *decoder) setProp(base int, k string, v any) {
	for i := base; i < len(d.scratch); i++ {
		if d.scratch[i].Key == k {
			d.scratch[i].Value = v
			return
		}
	}
	d.scratch = append(d.scratch, jsvalue.Property{Key: k, Value: v})
}

func (d *decoder) checkCount(what string, got int) error {
	want, err := d.varint()
	if err != nil {
		return err
	}
	if want != uint64(got) {
		return d.fail(ErrMalformed, "%s: count %d, read %d", what, want, got)
	}
	return nil
}

func (d *decoder) object() (any, error) {
	if err := d.enter(); err != nil {
		return nil, err
	}
	o := &jsvalue.Object{}
	d.newID(o)
	n, err := d.props(tagEndJSObject, &o.Props, nil)
	if err != nil {
		return nil, err
	}
	if err := d.checkCount("object properties", n); err != nil {
		return nil, err
	}
	d.depth--
	return o, nil
}

func (d *decoder) denseArray() (any, error) {
	if err := d.enter(); err != nil {
		return nil, err
	}
	id := d.newID(nil)
	n, err := d.count()
	if err != nil {
		return nil, err
	}
	elems := make([]any, n, max(n, 1))
	open := &openArray{}
	d.objs[id] = open
	for i := range elems {
		t, err := d.peek()
		if err != nil {
			return nil, err
		}
		if t == tagTheHole {
			d.pos++
			elems[i] = jsvalue.Hole{}
			continue
		}
		if elems[i], err = d.value(); err != nil {
			return nil, err
		}
	}
	var props []jsvalue.Property
	np, err := d.props(tagEndDenseArray, &props, nil)
	if err != nil {
		return nil, err
	}
	if err := d.checkCount("array properties", np); err != nil {
		return nil, err
	}
	if err := d.checkCount("array length", n); err != nil {
		return nil, err
	}
	d.depth--
	if open.wrap == nil && len(props) == 0 {
		d.objs[id] = elems
		return elems, nil
	}
	a := open.wrap
	if a == nil {
		a = &jsvalue.Array{}
	}
	a.Elements, a.Props = elems, props
	d.objs[id] = a
	return a, nil
}

func (d *decoder) sparseArray() (any, error) {
	if err := d.enter(); err != nil {
		return nil, err
	}
	a := &jsvalue.SparseArray{}
	d.newID(a)
	length, err := d.varint()
	if err != nil {
		return nil, err
	}
	a.Length = uint32(length)
	sorted := true
	n, err := d.props(tagEndSparseArray, &a.Props, func(i uint32, v any) {
		if k := len(a.Elements); k > 0 && a.Elements[k-1].Index >= i {
			sorted = false
		}
		a.Elements = append(a.Elements, jsvalue.Element{Index: i, Value: v})
	})
	if err != nil {
		return nil, err
	}
	if err := d.checkCount("sparse array properties", n); err != nil {
		return nil, err
	}
	if err := d.checkCount("sparse array length", int(length)); err != nil {
		return nil, err
	}
	if !sorted {
		slices.SortStableFunc(a.Elements, func(x, y jsvalue.Element) int { return int(int64(x.Index) - int64(y.Index)) })
		a.Elements = slices.CompactFunc(a.Elements, func(x, y jsvalue.Element) bool { return x.Index == y.Index })
	}
	if k := len(a.Elements); k > 0 && a.Elements[k-1].Index >= a.Length {
		a.Length = a.Elements[k-1].Index + 1
	}
	d.depth--
	return a, nil
}

func (d *decoder) regexp() (any, error) {
	id := d.newID(nil)
	src, err := d.string()
	if err != nil {
		return nil, err
	}
	bits, err := d.varint()
	if err != nil {
		return nil, err
	}
	if bits&^regExpFlagMask != 0 {
		return nil, d.fail(ErrMalformed, "RegExp flags 0x%x", bits)
	}
	var flags []byte
	for _, f := range regExpFlags {
		if uint32(bits)&f.bit != 0 {
			flags = append(flags, f.c)
		}
	}
	r := jsvalue.RegExp{Source: src, Flags: string(flags)}
	d.objs[id] = r
	return r, nil
}

func (d *decoder) mapValue() (any, error) {
	if err := d.enter(); err != nil {
		return nil, err
	}
	m := &jsvalue.Map{}
	d.newID(m)
	for {
		t, err := d.peek()
		if err != nil {
			return nil, err
		}
		if t == tagEndMap {
			d.pos++
			break
		}
		k, err := d.value()
		if err != nil {
			return nil, err
		}
		v, err := d.value()
		if err != nil {
			return nil, err
		}
		m.Entries = append(m.Entries, jsvalue.Entry{Key: k, Value: v})
	}
	if err := d.checkCount("map entries", 2*len(m.Entries)); err != nil {
		return nil, err
	}
	d.depth--
	return m, nil
}

func (d *decoder) setValue() (any, error) {
	if err := d.enter(); err != nil {
		return nil, err
	}
	s := &jsvalue.Set{}
	d.newID(s)
	for {
		t, err := d.peek()
		if err != nil {
			return nil, err
		}
		if t == tagEndSet {
			d.pos++
			break
		}
		v, err := d.value()
		if err != nil {
			return nil, err
		}
		s.Values = append(s.Values, v)
	}
	if err := d.checkCount("set values", len(s.Values)); err != nil {
		return nil, err
	}
	d.depth--
	return s, nil
}

var errorNames = map[uint64]string{
	errTagEvalPrototype:      jsvalue.ErrorNameEvalError,
	errTagRangePrototype:     jsvalue.ErrorNameRangeError,
	errTagReferencePrototype: jsvalue.ErrorNameReferenceError,
	errTagSyntaxPrototype:    jsvalue.ErrorNameSyntaxError,
	errTagTypePrototype:      jsvalue.ErrorNameTypeError,
	errTagURIPrototype:       jsvalue.ErrorNameURIError,
}

func (d *decoder) errorValue() (any, error) {
	if err := d.enter(); err != nil {
		return nil, err
	}
	e := &jsvalue.Error{Name: jsvalue.ErrorNameError}
	d.newID(e)
	for {
		t, err := d.varint()
		if err != nil {
			return nil, err
		}
		switch t {
		case errTagMessage:
			if e.Message, err = d.string(); err != nil {
				return nil, err
			}
		case errTagStack:
			if e.Stack, err = d.string(); err != nil {
				return nil, err
			}
			e.HasStack = true
		case errTagCause:
			if e.Cause, err = d.value(); err != nil {
				return nil, err
			}
			e.HasCause = true
		case errTagEnd:
			d.depth--
			return e, nil
		default:
			name, ok := errorNames[t]
			if !ok {
				return nil, d.fail(ErrMalformed, "unknown Error sub-tag 0x%02x", t)
			}
			e.Name = name
		}
	}
}
