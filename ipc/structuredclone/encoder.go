package structuredclone

import (
	"sync"
	"unsafe"
)

// DefaultMaxDepth is the nesting limit of an Encoder or Decoder whose MaxDepth
// is zero.
const DefaultMaxDepth = 1000

// Encoder writes structured-clone messages. Its zero value writes version 0
// wrapped in a TRANSFER node with no transfers, byte for byte what
// bare-structured-clone 1.x's serializeWithTransfer (and so bare-channel)
// writes. An Encoder is safe for concurrent use.
type Encoder struct {
	// Version selects the format: Version0 (the default) or Version1.
	Version Version
	// Plain leaves out the TRANSFER wrapper, giving what serialize() (rather
	// than serializeWithTransfer()) writes. Both decode alike.
	Plain bool
	// MaxDepth bounds the nesting of objects, arrays, maps, sets and errors;
	// 0 means DefaultMaxDepth. A cycle through plain Go maps or slices (which
	// have no identity to refer back to) ends here.
	MaxDepth int
}

// Option configures Marshal.
type Option func(*Encoder)

// WithVersion selects the format version (Version0 by default).
func WithVersion(v Version) Option { return func(e *Encoder) { e.Version = v } }

// WithoutTransfer leaves out the TRANSFER wrapper (see Encoder.Plain).
func WithoutTransfer() Option { return func(e *Encoder) { e.Plain = true } }

// Marshal encodes v with an Encoder configured by opts: by default version 0,
// wrapped in a TRANSFER node, as bare-channel sends it. v may be a value of the
// jsvalue model or an ordinary Go value (converted with jsvalue.FromGo).
func Marshal(v any, opts ...Option) ([]byte, error) {
	var e Encoder
	for _, o := range opts {
		o(&e)
	}
	return e.Marshal(v)
}

// Marshal encodes v into a new slice.
func (e *Encoder) Marshal(v any) ([]byte, error) {
	s := e.state()
	defer putState(s)
	s.b = s.scratch[:0]
	if err := s.top(v, e.Plain); err != nil {
		s.scratch = s.b[:0]
		return nil, err
	}
	if len(s.b) >= handOver {
		// A large message is handed over as it is rather than copied; the
		// scratch buffer stays as it was, unless it is the one handed over.
		out := s.b
		if cap(s.scratch) > 0 && unsafe.SliceData(out) == unsafe.SliceData(s.scratch) {
			s.scratch = nil
		}
		return out, nil
	}
	// append allocates without zeroing what it copies over.
	out := append([]byte(nil), s.b...)
	s.scratch = s.b[:0]
	return out, nil
}

// handOver is the message size from which Marshal returns its working buffer
// instead of a copy.
const handOver = 64 << 10

// Append encodes v and appends the message to dst.
func (e *Encoder) Append(dst []byte, v any) ([]byte, error) {
	s := e.state()
	defer putState(s)
	s.b = dst
	err := s.top(v, e.Plain)
	out := s.b
	s.b = nil
	if err != nil {
		return dst, err
	}
	return out, nil
}

func (e *Encoder) state() *encState {
	s := statePool.Get().(*encState)
	s.v1 = e.Version == Version1
	s.maxDepth = e.MaxDepth
	if s.maxDepth <= 0 {
		s.maxDepth = DefaultMaxDepth
	}
	if e.Version > Version1 {
		s.badVersion = true
	}
	return s
}

var statePool = sync.Pool{New: func() any { return new(encState) }}

// maxPooledScratch bounds the scratch buffer a pooled state keeps.
const maxPooledScratch = 4 << 20

func putState(s *encState) {
	s.b = nil
	s.next = 0
	s.dataViewID = 0
	s.depth = 0
	s.badVersion = false
	if s.ids != nil {
		clear(s.ids)
	}
	if s.names != nil {
		clear(s.names)
	}
	if cap(s.scratch) > maxPooledScratch {
		s.scratch = nil
	}
	statePool.Put(s)
}

// top writes the header and the value, with or without the TRANSFER node.
func (s *encState) top(v any, plain bool) error {
	if s.badVersion {
		return &UnsupportedValueError{Reason: "unknown version"}
	}
	if s.v1 {
		s.b = append(s.b, 1, 0)
	} else {
		s.b = append(s.b, 0, 0)
	}
	if !plain {
		s.b = append(s.b, wireTag(tagTransfer, s.v1), 0)
	}
	return s.value(v)
}
