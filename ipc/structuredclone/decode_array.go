package structuredclone

import (
	"slices"
	"unsafe"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

// array reads an ARRAY: length, then in version 0 (and version 1's SPARSE
// layout) string- or index-keyed properties, or in version 1's DENSE layout
// length elements and then the other properties.
//
// The result is []any when every index is present and there is no other
// property, *jsvalue.Array when there are other properties too, and
// *jsvalue.SparseArray when an index is missing. The representation is
// guessed before the elements are read (a reference from inside the array
// to itself needs one) and settled after; when the guess was wrong and the
// array refers to itself, the references are rewritten.
func (s *decState) array(id uint64, at int) (any, error) {
	if err := s.enter(); err != nil {
		return nil, err
	}
	defer s.leave()
	length, err := s.readUint()
	if err != nil {
		return nil, err
	}
	if length > maxIndex+1 {
		return nil, &SyntaxError{Offset: at, Err: ErrInvalidValue, Detail: "array length " + utoa(length) + " above 2^32-1"}
	}
	if s.v1 {
		layoutAt := s.off
		layout, err := s.readUint()
		if err != nil {
			return nil, err
		}
		switch layout {
		case layoutDense:
			return s.denseArray(id, at, length)
		case layoutSparse:
		default:
			return nil, &SyntaxError{Offset: layoutAt, Err: ErrUnknownTag, Detail: "array layout " + utoa(layout)}
		}
	}
	n, err := s.readCount(2)
	if err != nil {
		return nil, err
	}
	b := &arrayBuilder{s: s, id: id, length: length}
	if uint64(n) < length {
		// Fewer properties than elements: there are holes.
		b.sparse = &jsvalue.SparseArray{Length: uint32(length)}
		b.reg = b.sparse
	} else {
		b.elems = holes(int(length))
		if uint64(n) == length {
			b.reg = b.elems
		} else {
			b.arr = &jsvalue.Array{Elements: b.elems}
			b.reg = b.arr
		}
	}
	if err := s.register(id, &b.pending, at); err != nil {
		return nil, err
	}
	b.pending.v = b.reg
	if err := b.props(n); err != nil {
		return nil, err
	}
	return b.finish(), nil
}

// denseArray reads version 1's DENSE layout: length elements, then properties.
func (s *decState) denseArray(id uint64, at int, length uint64) (any, error) {
	if length > uint64(s.remaining()) {
		return nil, s.fail(ErrTruncated, "array of "+utoa(length)+" elements beyond the end of the input")
	}
	elems := make([]any, length, max(length, 1))
	b := &arrayBuilder{s: s, id: id, length: length, elems: elems, reg: elems}
	b.pending.v = elems
	if err := s.register(id, &b.pending, at); err != nil {
		return nil, err
	}
	var err error
	for i := range elems {
		if elems[i], err = s.value(); err != nil {
			return nil, err
		}
	}
	n, err := s.readCount(2)
	if err != nil {
		return nil, err
	}
	if err := b.props(n); err != nil {
		return nil, err
	}
	return b.finish(), nil
}

func holes(n int) []any {
	xs := make([]any, n, max(n, 1))
	for i := range xs {
		xs[i] = jsvalue.Hole{}
	}
	return xs
}

// arrayBuilder collects an array's elements and named properties.
type arrayBuilder struct {
	s       *decState
	id      uint64
	length  uint64
	elems   []any                // when every index may be present (Hole where absent)
	sparse  *jsvalue.SparseArray // when not
	arr     *jsvalue.Array
	props_  []jsvalue.Property
	reg     any // the representation guessed for id
	pending pendingArray
}

// props reads n properties; indices below the length are elements, other
// keys (including indices at or past the length) named properties.
func (b *arrayBuilder) props(n int) error {
	s := b.s
	for range n {
		name, index, isIndex, err := s.key()
		if err != nil {
			return err
		}
		v, err := s.value()
		if err != nil {
			return err
		}
		if isIndex && uint64(index) < b.length {
			if b.elems != nil {
				b.elems[index] = v
			} else {
				b.sparse.Elements = append(b.sparse.Elements, jsvalue.Element{Index: index, Value: v})
			}
			continue
		}
		if isIndex && name == "" {
			name = utoa(uint64(index))
		}
		b.props_ = append(b.props_, jsvalue.Property{Key: name, Value: v})
	}
	return nil
}

// finish settles the representation and re-registers it if it changed.
func (b *arrayBuilder) finish() any {
	props := jsOrder(dedupeProps(b.props_))
	var out any
	if b.sparse != nil {
		b.sparse.Elements = sortedElements(b.sparse.Elements)
		b.sparse.Props = props
		out = b.sparse
	} else {
		missing := slices.ContainsFunc(b.elems, func(e any) bool { _, ok := e.(jsvalue.Hole); return ok })
		switch {
		case missing:
			sa := &jsvalue.SparseArray{Length: uint32(b.length), Props: props}
			for i, e := range b.elems {
				if _, ok := e.(jsvalue.Hole); !ok {
					sa.Elements = append(sa.Elements, jsvalue.Element{Index: uint32(i), Value: e})
				}
			}
			out = sa
		case len(props) > 0:
			if b.arr == nil {
				b.arr = &jsvalue.Array{Elements: b.elems}
			}
			b.arr.Props = props
			out = b.arr
		default:
			out = b.elems
		}
	}
	b.s.replace(b.id, out)
	if b.pending.hit && !sameRef(out, b.reg) {
		r := rewriter{old: b.reg, new: out, seen: map[any]bool{}}
		r.children(out)
	}
	return out
}

// sameRef reports whether a and b are the same registered object.
func sameRef(a, b any) bool {
	switch x := a.(type) {
	case []any:
		y, ok := b.([]any)
		return ok && len(x) == len(y) && cap(x) > 0 && cap(y) > 0 && unsafe.SliceData(x) == unsafe.SliceData(y)
	case *jsvalue.Array:
		y, ok := b.(*jsvalue.Array)
		return ok && x == y
	case *jsvalue.SparseArray:
		y, ok := b.(*jsvalue.SparseArray)
		return ok && x == y
	}
	return false
}
