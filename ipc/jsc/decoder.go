package jsc

import (
	"errors"

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
	s := decState{data: data, maxDepth: d.MaxDepth}
	if s.maxDepth <= 0 {
		s.maxDepth = DefaultMaxDepth
	}
	return s.top()
}

// decState is the state of one Decode.
type decState struct {
	data     []byte
	off      int
	version  uint32
	strs     []string // the string pool, in the order strings were first written
	objs     []any    // the object pool, in the order objects were first written
	depth    int
	maxDepth int
	// The members of the objects and arrays being read, innermost last
	// (decode_containers.go).
	propStack []jsvalue.Property
	elemStack []jsvalue.Element
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
