package jsc

import (
	"errors"
	"sync"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

// DefaultMaxSize is the size limit of a Decoder whose MaxSize is zero.
const DefaultMaxSize = 64 << 20

// DefaultMaxDepth is the nesting limit of a Decoder or Encoder whose
// MaxDepth is zero.
const DefaultMaxDepth = 1000

// Decoder reads serialized values of any version from OldestVersion to
// Version. Its zero value is ready to use; a Decoder is safe for concurrent
// use.
type Decoder struct {
	// MaxSize bounds the input in bytes; 0 means DefaultMaxSize. Every
	// length inside the input is checked against the bytes that remain
	// before anything is allocated, so no allocation exceeds a small
	// multiple of the input's size.
	MaxSize int
	// MaxDepth bounds the nesting of objects, arrays, maps, sets and views;
	// 0 means DefaultMaxDepth.
	MaxDepth int
}

// Decode decodes one serialized value into the jsvalue model with a default
// Decoder.
func Decode(data []byte) (any, error) {
	var d Decoder
	return d.Decode(data)
}

// Unmarshal decodes one serialized value with a default Decoder and stores
// it in v, which must be a non-nil pointer: a *any receives the model as
// Decode returns it, other types are filled by jsvalue.Assign the way
// encoding/json's Unmarshal fills them.
func Unmarshal(data []byte, v any) error {
	var d Decoder
	return d.Unmarshal(data, v)
}

// Unmarshal decodes one serialized value and stores it in v as the package's
// Unmarshal does.
func (d *Decoder) Unmarshal(data []byte, v any) error {
	if v == nil {
		return errors.New("jsc: Unmarshal(nil)")
	}
	m, err := d.Decode(data)
	if err != nil {
		return err
	}
	return jsvalue.Assign(m, v)
}

// Decode decodes one serialized value (the 32-bit version, then the value)
// into the jsvalue model. The result owns its memory: nothing refers to data
// afterwards. Errors are *DecodeError.
func (d *Decoder) Decode(data []byte) (any, error) {
	maxSize := d.MaxSize
	if maxSize <= 0 {
		maxSize = DefaultMaxSize
	}
	if len(data) > maxSize {
		return nil, &DecodeError{Err: ErrTooBig, Detail: utoa(uint64(len(data))) + " bytes, limit " + utoa(uint64(maxSize))}
	}
	s := decPool.Get().(*decState)
	s.data, s.maxDepth = data, d.MaxDepth
	if s.maxDepth <= 0 {
		s.maxDepth = DefaultMaxDepth
	}
	v, err := s.top()
	s.reset(err != nil)
	decPool.Put(s)
	return v, err
}

// decPool keeps decoder states between Decodes, so that their pools and
// stacks are allocated once and grow to the sizes the program's messages
// need. A state goes back empty: reset clears every reference into a
// result, and a state whose pools grew past poolKeep is let go.
var decPool = sync.Pool{New: func() any { return new(decState) }}

// poolKeep is the longest pool or stack a decoder state keeps for the next
// Decode.
const poolKeep = 1 << 12

// decState is the state of one Decode.
type decState struct {
	data    []byte
	off     int
	version uint32
	strs    []string // the string pool, in the order strings were first written
	// strBoxes holds, beside strs, each pooled string as an interface value
	// once one was made, so that a string value read again from the pool
	// shares it instead of allocating another.
	strBoxes []any
	objs     []any // the object pool, in the order objects were first written
	depth    int
	maxDepth int
	// The members of the objects and arrays being read, innermost last
	// (decode_containers.go).
	propStack []jsvalue.Property
	elemStack []jsvalue.Element
	// spare holds openArrays whose arrays are complete, for the next ones.
	spare []*openArray
	// Chunks the values are carved out of (decode_slab.go).
	objects slab[jsvalue.Object]
	props   slab[jsvalue.Property]
	elems   slab[any]
	bytes   slab[byte]
}

// reset empties s for the next Decode: it drops every reference to the
// input and to the values decoded, and the pools and stacks that grew past
// poolKeep. Entries beyond a pool's or a stack's length are zero between
// Decodes; a Decode that succeeded leaves its stacks empty and cleared, one
// that failed may leave anything, so failed clears them whole.
func (s *decState) reset(failed bool) {
	s.data, s.off, s.version, s.depth = nil, 0, 0, 0
	s.strs = keep(s.strs, failed)
	s.strBoxes = keep(s.strBoxes, failed)
	s.objs = keep(s.objs, failed)
	s.propStack = keep(s.propStack, failed)
	s.elemStack = keep(s.elemStack, failed)
	if len(s.spare) > poolKeep {
		s.spare = nil
	}
	s.objects.free, s.props.free, s.elems.free, s.bytes.free = nil, nil, nil, nil
}

// keep returns p emptied and cleared (up to its capacity when whole is
// set), or nil when it grew past poolKeep.
func keep[T any](p []T, whole bool) []T {
	if cap(p) > poolKeep {
		return nil
	}
	if whole {
		p = p[:cap(p)]
	}
	clear(p)
	return p[:0]
}

// top reads the version and the value, and checks that nothing follows.
func (s *decState) top() (any, error) {
	v, err := s.u32()
	if err != nil {
		return nil, err
	}
	if v > Version {
		return nil, &DecodeError{Offset: 0, Err: ErrVersion, Detail: "version " + utoa(uint64(v)) + ", newest known " + utoa(Version)}
	}
	s.version = v
	out, err := s.value()
	if err != nil {
		return nil, err
	}
	if s.off != len(s.data) {
		return nil, s.fail(ErrTrailingData, utoa(uint64(len(s.data)-s.off))+" bytes")
	}
	return out, nil
}

func (s *decState) fail(err error, detail string) error {
	return &DecodeError{Offset: s.off, Err: err, Detail: detail}
}

func (s *decState) failAt(at int, err error, detail string) error {
	return &DecodeError{Offset: at, Err: err, Detail: detail}
}

// enter goes one level deeper; leave comes back.
func (s *decState) enter() error {
	if s.depth >= s.maxDepth {
		return s.fail(ErrTooDeep, "limit "+utoa(uint64(s.maxDepth)))
	}
	s.depth++
	return nil
}

func (s *decState) leave() { s.depth-- }

func utoa(n uint64) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}
