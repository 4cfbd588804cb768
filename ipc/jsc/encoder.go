package jsc

import (
	"encoding/binary"
	"errors"
	"math"
	"sync"
	"unsafe"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

// Encoder writes serialized values in format Version, byte for byte what
// Bun 1.4.5's JavaScriptCore writes for the JavaScript value the model
// describes. Its zero value is ready to use; an Encoder is safe for
// concurrent use.
type Encoder struct {
	// MaxDepth bounds the nesting of objects, arrays, maps, sets and
	// errors; 0 means DefaultMaxDepth. A cycle through plain Go maps or
	// slices (which have no identity to refer back to) ends here.
	MaxDepth int
}

// Marshal returns the serialization of v with a default Encoder. v may be a
// value of the jsvalue model or an ordinary Go value (converted with
// jsvalue.FromGo first).
func Marshal(v any) ([]byte, error) {
	var e Encoder
	return e.Append(nil, v)
}

// Append appends the serialization of v to dst with a default Encoder and
// returns the extended slice. On error dst is returned unchanged in length.
func Append(dst []byte, v any) ([]byte, error) {
	var e Encoder
	return e.Append(dst, v)
}

// Marshal returns the serialization of v.
func (e *Encoder) Marshal(v any) ([]byte, error) {
	return e.Append(nil, v)
}

// Append appends the serialization of v to dst and returns the extended
// slice. On error dst is returned unchanged in length.
//
// A value of the model is written as it is; the first value met outside
// the model (a Go int, map or struct) makes Append convert the whole of v
// with jsvalue.FromGo and write it again, so a model value is never walked
// for a conversion it does not need.
func (e *Encoder) Append(dst []byte, v any) ([]byte, error) {
	out, err := e.appendModel(dst, v)
	var ee *EncodeError
	if err == nil || !errors.As(err, &ee) || !ee.notModel {
		return out, err
	}
	m, err := jsvalue.FromGo(v)
	if err != nil {
		return dst, &EncodeError{Reason: err.Error()}
	}
	return e.appendModel(dst, m)
}

// appendModel writes m, a value of the model.
func (e *Encoder) appendModel(dst []byte, m any) ([]byte, error) {
	var err error
	s := encPool.Get().(*encState)
	s.b, s.root = dst, m
	s.maxDepth = e.MaxDepth
	if s.maxDepth <= 0 {
		s.maxDepth = DefaultMaxDepth
	}
	s.b = binary.LittleEndian.AppendUint32(s.b, Version)
	err = s.value(m)
	out := s.b
	s.reset()
	encPool.Put(s)
	if err != nil {
		return dst, err
	}
	return out, nil
}

// canonicalNaN is the NaN JavaScriptCore writes (its purified NaN).
const canonicalNaN = 0x7FF8000000000000

var encPool = sync.Pool{New: func() any { return new(encState) }}

// encState is the state of one Marshal: the output, the string pool and the
// object pool as JavaScriptCore's writer keeps them.
type encState struct {
	b        []byte
	root     any
	strList  []string         // string pool, in order: index to content
	strs     map[string]int   // string pool: content to index, once strList is long
	indexed  bool             // strs indexes strList in this Marshal
	seenStr  strCache         // strings of this Marshal, by address
	objs     map[identKey]int // object pool: identity to index
	nobjs    int              // objects given a slot so far, with or without identity
	depth    int
	maxDepth int
	regions  *regions // backing buffers of views, found on the first view
}

func (s *encState) reset() {
	s.b, s.root, s.regions = nil, nil, nil
	s.nobjs, s.depth = 0, 0
	s.indexed = false
	s.seenStr.forget()
	if len(s.strList) > 1<<12 {
		s.strs, s.strList = nil, nil
	} else {
		clear(s.strs)
		clear(s.strList)
		s.strList = s.strList[:0]
	}
	if len(s.objs) > 1<<12 {
		s.objs = nil
	} else {
		clear(s.objs)
	}
}

func (s *encState) enter(v any) error {
	if s.depth >= s.maxDepth {
		return encodeErr(v, "nesting deeper than "+utoa(uint64(s.maxDepth))+" (a cycle through Go values?)")
	}
	s.depth++
	return nil
}

func (s *encState) leave() { s.depth-- }

func (s *encState) u32(v uint32) { s.b = binary.LittleEndian.AppendUint32(s.b, v) }
func (s *encState) u64(v uint64) { s.b = binary.LittleEndian.AppendUint64(s.b, v) }
func (s *encState) f64(f float64) {
	if f != f {
		f = math.Float64frombits(canonicalNaN)
	}
	s.u64(math.Float64bits(f))
}

// poolIndex writes index i of a pool that holds n entries: one byte while
// n is at most 255, two while it is at most 65535, else four.
func (s *encState) poolIndex(i, n int) {
	switch {
	case n <= 0xFF:
		s.b = append(s.b, byte(i))
	case n <= 0xFFFF:
		s.b = binary.LittleEndian.AppendUint16(s.b, uint16(i))
	default:
		s.u32(uint32(i))
	}
}

// stringData writes str as StringData: a reference to the pool when the
// same string was written before (as a value, a property name, a RegExp's
// source or flags, or an Error's message or stack), else its length and
// characters, one byte each when every UTF-16 code unit is below 256.
func (s *encState) stringData(str string) error {
	if i, ok := s.pooled(str); ok {
		s.u32(markStringPool)
		s.poolIndex(i, len(s.strList))
		return nil
	}
	units, latin1 := jsvalue.UTF16Shape(str)
	if units >= maxStringUnits {
		return encodeErr(str, "string of "+utoa(uint64(units))+" UTF-16 code units, JavaScriptCore's limit is below "+utoa(maxStringUnits))
	}
	s.pool(str)
	if latin1 {
		s.u32(uint32(units) | flagLatin1)
	} else {
		s.u32(uint32(units))
	}
	s.b = appendStringChars(s.b, str, latin1)
	return nil
}

// Identity of the objects the encoder meets, so that an object reached
// twice is written once and referred back to. Pointers are identified by
// address; slices ([]any, the bytes of buffers and views) by the address and
// length of their elements. A slice with no capacity has no identity.

type identKind uint8

const (
	identPointer identKind = iota + 1
	identList
	identBuffer
	identView // + TypedArrayKind
)

type identKey struct {
	p unsafe.Pointer
	n int
	k identKind
}

func pointerKey[T any](p *T) (identKey, bool) {
	return identKey{p: unsafe.Pointer(p), k: identPointer}, true
}

func sliceKey[T any](v []T, k identKind) (identKey, bool) {
	if cap(v) == 0 {
		return identKey{}, false
	}
	return identKey{p: unsafe.Pointer(unsafe.SliceData(v)), n: len(v), k: k}, true
}

// seen writes a reference and reports true when the object k was written
// before.
func (s *encState) seen(k identKey, ok bool) bool {
	if !ok {
		return false
	}
	i, found := s.objs[k]
	if !found {
		return false
	}
	s.b = append(s.b, tagObjectReference)
	s.poolIndex(i, s.nobjs)
	return true
}

// record gives the object k the next slot of the object pool; an object
// without identity takes a slot all the same.
func (s *encState) record(k identKey, ok bool) {
	if ok {
		if s.objs == nil {
			s.objs = make(map[identKey]int)
		}
		s.objs[k] = s.nobjs
	}
	s.nobjs++
}
