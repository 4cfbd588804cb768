package structuredclone

import (
	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

// arrayBuffer reads an ARRAYBUFFER (data) or RESIZABLEARRAYBUFFER (data,
// maxByteLength). The bytes are copied out of the input.
func (s *decState) arrayBuffer(t tag, id uint64, at int) (any, error) {
	p, err := s.readBytes()
	if err != nil {
		return nil, err
	}
	// An empty buffer still gets storage of its own, so that an encoder can
	// tell it apart from other empty buffers and refer back to it.
	var data []byte
	if len(p) == 0 {
		data = make([]byte, 0, 1)
	} else {
		data = append([]byte(nil), p...) // allocated without zeroing
	}
	var v any = jsvalue.ArrayBuffer(data)
	if t == tagResizableArrayBuffer {
		m, err := s.readUint()
		if err != nil {
			return nil, err
		}
		v = ResizableArrayBuffer{Data: data, MaxByteLength: m}
	}
	return v, s.register(id, v, at)
}

// viewBuffer reads the buffer under a view, which must be an ArrayBuffer
// (resizable or not) or a reference to one, and returns its bytes.
func (s *decState) viewBuffer() ([]byte, error) {
	at := s.off
	if err := s.enter(); err != nil {
		return nil, err
	}
	v, err := s.value()
	s.leave()
	if err != nil {
		return nil, err
	}
	switch b := v.(type) {
	case jsvalue.ArrayBuffer:
		return b, nil
	case ResizableArrayBuffer:
		return b.Data, nil
	}
	return nil, &SyntaxError{Offset: at, Err: ErrBadReference, Detail: "the buffer of a view is not an ArrayBuffer"}
}

// span returns buf[off:off+n], or an error when it runs past the buffer.
func (s *decState) span(buf []byte, off, n uint64, at int) ([]byte, error) {
	if off > uint64(len(buf)) || n > uint64(len(buf))-off {
		return nil, &SyntaxError{Offset: at, Err: ErrInvalidValue, Detail: "view runs past its buffer"}
	}
	if n == 0 {
		return buf[off:off], nil // keeps the buffer's address, so the view still refers to it
	}
	return buf[off : off+n : off+n], nil
}

// typedArray reads a TYPEDARRAY: view code, buffer, byteOffset, byteLength,
// length. As in JavaScript, the view spans length elements from byteOffset
// (byteLength is not used) and shares its bytes with the buffer.
func (s *decState) typedArray(id uint64, at int) (any, error) {
	view, err := s.readUint()
	if err != nil {
		return nil, err
	}
	if view >= uint64(len(viewToKind)) || viewToKind[view] == 0 {
		return nil, &SyntaxError{Offset: at, Err: ErrUnknownTag, Detail: "typed array view " + utoa(view)}
	}
	kind := viewToKind[view]
	buf, err := s.viewBuffer()
	if err != nil {
		return nil, err
	}
	off, err := s.readUint()
	if err != nil {
		return nil, err
	}
	if _, err := s.readUint(); err != nil { // byteLength
		return nil, err
	}
	length, err := s.readUint()
	if err != nil {
		return nil, err
	}
	size := uint64(kind.ElementSize())
	if off%size != 0 || length > uint64(len(buf))/size {
		return nil, &SyntaxError{Offset: at, Err: ErrInvalidValue, Detail: "misaligned or oversized " + kind.String()}
	}
	data, err := s.span(buf, off, length*size, at)
	if err != nil {
		return nil, err
	}
	v := jsvalue.TypedArray{Kind: kind, Data: data}
	return v, s.register(id, v, at)
}

// byteView reads a DATAVIEW or a BUFFER: buffer, byteOffset, byteLength. A
// Buffer is a []byte, a DataView a TypedArray; both share their bytes with
// the buffer.
func (s *decState) byteView(t tag, id uint64, at int) (any, error) {
	buf, err := s.viewBuffer()
	if err != nil {
		return nil, err
	}
	data, err := s.offsetLength(buf, at)
	if err != nil {
		return nil, err
	}
	var v any = data
	if t == tagDataView {
		v = jsvalue.TypedArray{Kind: jsvalue.KindDataView, Data: data}
	}
	return v, s.register(id, v, at)
}

// offsetLength reads byteOffset and byteLength and returns that span of buf.
func (s *decState) offsetLength(buf []byte, at int) ([]byte, error) {
	off, err := s.readUint()
	if err != nil {
		return nil, err
	}
	n, err := s.readUint()
	if err != nil {
		return nil, err
	}
	return s.span(buf, off, n, at)
}
