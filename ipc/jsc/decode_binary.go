package jsc

import "github.com/uvpipe/uvpipe/ipc/jsvalue"

// arrayBuffer reads an ArrayBuffer's length and bytes, copied out of the
// input.
func (s *decState) arrayBuffer() (jsvalue.ArrayBuffer, error) {
	n, err := s.length()
	if err != nil {
		return nil, err
	}
	p, err := s.take(n)
	if err != nil {
		return nil, err
	}
	// make then copy: the compiler allocates without zeroing what the copy
	// overwrites.
	ab := make(jsvalue.ArrayBuffer, len(p))
	copy(ab, p)
	s.register(ab)
	return ab, nil
}

// view reads a typed array or DataView: its subtag, byte offset and byte
// length, then its buffer (an ArrayBuffer, or a reference to one). The
// view's Data is that part of the buffer's bytes, so views over one buffer
// share memory with it and with each other, as in JavaScript; its capacity
// is cut to its length, so appending to it never writes into the buffer.
func (s *decState) view() (any, error) {
	at := s.off
	sub, err := s.byte1()
	if err != nil {
		return nil, err
	}
	if int(sub) >= len(subtagKinds) {
		return nil, s.failAt(at, ErrMalformed, "view subtag "+utoa(uint64(sub)))
	}
	kind := subtagKinds[sub]
	off, err := s.length()
	if err != nil {
		return nil, err
	}
	n, err := s.length()
	if err != nil {
		return nil, err
	}
	bufAt := s.off
	t, err := s.byte1()
	if err != nil {
		return nil, err
	}
	var ab jsvalue.ArrayBuffer
	switch t {
	case tagArrayBuffer:
		if ab, err = s.arrayBuffer(); err != nil {
			return nil, err
		}
	case tagObjectReference:
		i, err := s.poolIndex(len(s.objs))
		if err != nil {
			return nil, err
		}
		b, ok := s.objs[i].(jsvalue.ArrayBuffer)
		if !ok {
			return nil, s.failAt(bufAt, ErrBadReference, kind.String()+" over an object that is not an ArrayBuffer")
		}
		ab = b
	case tagResizableArrayBuffer:
		return nil, s.failAt(bufAt, ErrUnsupported, kind.String()+" over a resizable ArrayBuffer")
	default:
		return nil, s.failAt(bufAt, ErrMalformed, kind.String()+" over something that is not an ArrayBuffer (tag "+utoa(uint64(t))+")")
	}
	if n == autoLengthMarker {
		return nil, s.failAt(at, ErrUnsupported, kind.String()+" tracking the length of a resizable ArrayBuffer")
	}
	size := uint64(kind.ElementSize())
	switch {
	case n%size != 0:
		return nil, s.failAt(at, ErrMalformed, kind.String()+" of "+utoa(n)+" bytes, not a multiple of "+utoa(size))
	case off%size != 0:
		return nil, s.failAt(at, ErrMalformed, kind.String()+" at offset "+utoa(off)+", not a multiple of "+utoa(size))
	case off > uint64(len(ab)) || n > uint64(len(ab))-off:
		return nil, s.failAt(at, ErrMalformed, kind.String()+" of "+utoa(n)+" bytes at offset "+utoa(off)+" of a "+utoa(uint64(len(ab)))+"-byte ArrayBuffer")
	}
	tv := jsvalue.TypedArray{Kind: kind, Data: ab[off : off+n : off+n]}
	s.register(tv)
	return tv, nil
}
