package structuredclone

import (
	"sync"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

// DefaultMaxSize is the size limit of a Decoder whose MaxSize is zero.
const DefaultMaxSize = 64 << 20

// Decoder reads structured-clone messages of either version (the header
// says which), with or without the TRANSFER wrapper. Its zero value is ready
// to use; a Decoder is safe for concurrent use.
type Decoder struct {
	// MaxDepth bounds the nesting of objects, arrays, maps, sets, errors and
	// views; 0 means DefaultMaxDepth.
	MaxDepth int
	// MaxSize bounds the message size in bytes; 0 means DefaultMaxSize.
	// Every length and count inside a message is checked against the bytes
	// that remain before anything is allocated, so no allocation exceeds a
	// small multiple of the message size.
	MaxSize int
}

// Decode decodes a message into the jsvalue model with a default Decoder.
func Decode(data []byte) (any, error) {
	var d Decoder
	return d.Decode(data)
}

// Unmarshal decodes a message with a default Decoder and stores the result in
// the value v points to, as jsvalue.Assign does (into an *any it stores the
// model value itself).
func Unmarshal(data []byte, v any) error {
	var d Decoder
	return d.Unmarshal(data, v)
}

// Unmarshal decodes a message and stores it in the value v points to.
func (d *Decoder) Unmarshal(data []byte, v any) error {
	m, err := d.Decode(data)
	if err != nil {
		return err
	}
	return jsvalue.Assign(m, v)
}

// Decode decodes a message into the jsvalue model. The result owns its
// memory: nothing refers to data afterwards.
//
// Errors are a *SyntaxError wrapping one of the sentinel errors (ErrTruncated,
// ErrUnknownTag, ErrBadReference, ...) or a *NotPortableError.
func (d *Decoder) Decode(data []byte) (any, error) {
	maxSize := d.MaxSize
	if maxSize <= 0 {
		maxSize = DefaultMaxSize
	}
	if len(data) > maxSize {
		return nil, &SyntaxError{Err: ErrTooBig, Detail: "message larger than the size limit"}
	}
	s := decPool.Get().(*decState)
	defer s.release()
	s.data = data
	s.maxDepth = d.MaxDepth
	if s.maxDepth <= 0 {
		s.maxDepth = DefaultMaxDepth
	}
	return s.top()
}

var decPool = sync.Pool{New: func() any { return new(decState) }}

// decState is the state of one Decode.
type decState struct {
	data     []byte
	off      int
	v1       bool
	refs     []any // registered objects by id, for small ids
	refMap   map[uint64]any
	names    []string // version 1's property names
	depth    int
	maxDepth int
}

func (s *decState) release() {
	clear(s.refs)
	s.refs = s.refs[:0]
	s.refMap = nil
	clear(s.names)
	s.names = s.names[:0]
	s.data = nil
	s.off = 0
	s.depth = 0
	if cap(s.refs) > 1<<16 {
		s.refs = nil
	}
	if cap(s.names) > 1<<16 {
		s.names = nil
	}
	decPool.Put(s)
}

// top reads the header (version, flags), the optional TRANSFER node and the
// value, and checks that nothing follows.
func (s *decState) top() (any, error) {
	version, err := s.readUint()
	if err != nil {
		return nil, err
	}
	if version > 1 {
		return nil, &SyntaxError{Offset: 0, Err: ErrVersion, Detail: "version " + utoa(version)}
	}
	s.v1 = version == 1
	if _, err := s.readUint(); err != nil { // flags
		return nil, err
	}
	if s.off < len(s.data) && s.data[s.off] == wireTag(tagTransfer, s.v1) {
		s.off++
		if err := s.transfers(); err != nil {
			return nil, err
		}
	}
	v, err := s.value()
	if err != nil {
		return nil, err
	}
	if s.off != len(s.data) {
		return nil, s.fail(ErrTrailingData, utoa(uint64(len(s.data)-s.off))+" bytes")
	}
	return v, nil
}

// transfers reads the transfer list. Transferred buffers and objects are
// process-local, so any entry is a NotPortableError.
func (s *decState) transfers() error {
	n, err := s.readCount(2)
	if err != nil {
		return err
	}
	if n == 0 {
		return nil
	}
	at := s.off
	kind, err := s.readUint()
	if err != nil {
		return err
	}
	t, ok := fromWire(kind, s.v1)
	switch {
	case ok && t == tagArrayBuffer:
		return &NotPortableError{Kind: "transferred ArrayBuffer", Offset: at}
	case ok && t == tagResizableArrayBuffer:
		return &NotPortableError{Kind: "transferred resizable ArrayBuffer", Offset: at}
	case ok && t == tagTransferable:
		return &NotPortableError{Kind: "transferred object (TRANSFERABLE)", Offset: at}
	}
	return &SyntaxError{Offset: at, Err: ErrUnknownTag, Detail: "transfer type " + utoa(kind)}
}
