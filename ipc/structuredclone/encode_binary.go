package structuredclone

import (
	"reflect"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

// arrayBuffer writes an ArrayBuffer (or a resizable one) carried in its own
// right, or a reference to it.
func (s *encState) arrayBuffer(data []byte, resizable bool, max uint64) {
	id, seen := s.claim(sliceKey(data, identArrayBuffer))
	if seen {
		return
	}
	if resizable {
		s.tag(tagResizableArrayBuffer)
		s.uint(id)
		s.b = appendBytes(s.b, data)
		s.uint(max)
		return
	}
	s.tag(tagArrayBuffer)
	s.uint(id)
	s.b = appendBytes(s.b, data)
}

// viewBuffer writes the ArrayBuffer under a view: the view's own bytes, as
// an ArrayBuffer of their own (byteOffset 0), or a reference to the buffer
// already written over the same bytes.
func (s *encState) viewBuffer(data []byte) {
	s.arrayBuffer(data, false, 0)
}

// buffer writes a Buffer: id, its buffer, byteOffset 0, byteLength.
func (s *encState) buffer(b []byte) {
	id, seen := s.claim(sliceKey(b, identBuffer))
	if seen {
		return
	}
	s.tag(tagBuffer)
	s.uint(id)
	s.viewBuffer(b)
	s.b = append(s.b, 0)
	s.uint(uint64(len(b)))
}

// typedArray writes a typed array (view code, buffer, byteOffset,
// byteLength, length) or a DataView (buffer, byteOffset, byteLength).
func (s *encState) typedArray(t jsvalue.TypedArray) error {
	if t.Kind == jsvalue.KindDataView {
		return s.dataView(t.Data)
	}
	if int(t.Kind) >= len(kindToView) || kindToView[t.Kind] == 0 {
		return &UnsupportedTypeError{Type: reflect.TypeOf(t), Reason: "unknown kind " + t.Kind.String()}
	}
	size := t.Kind.ElementSize()
	if len(t.Data)%size != 0 {
		return &UnsupportedValueError{Reason: t.Kind.String() + " data is not a whole number of elements"}
	}
	id, seen := s.claim(sliceKey(t.Data, identView+identKind(t.Kind)))
	if seen {
		return nil
	}
	s.tag(tagTypedArray)
	s.uint(id)
	s.b = append(s.b, kindToView[t.Kind])
	s.viewBuffer(t.Data)
	s.b = append(s.b, 0)
	s.uint(uint64(len(t.Data)))
	s.uint(uint64(len(t.Data) / size))
	return nil
}

// dataView writes a DataView. Version 0 reproduces bare-structured-clone
// 1.x: every DataView carries the same id (the first one's, taken when it is
// met) and none is ever referred back to.
func (s *encState) dataView(data []byte) error {
	var id uint64
	if s.v1 {
		var seen bool
		if id, seen = s.claim(sliceKey(data, identView+identKind(jsvalue.KindDataView))); seen {
			return nil
		}
	} else {
		if s.dataViewID == 0 {
			s.dataViewID = s.fresh()
		}
		id = s.dataViewID
	}
	s.tag(tagDataView)
	s.uint(id)
	s.viewBuffer(data)
	s.b = append(s.b, 0)
	s.uint(uint64(len(data)))
	return nil
}
