package jsc

import (
	"slices"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

// openArray holds the object-pool slot of an array while its elements are
// read. A reference to it from inside gets a pointer the array is then
// decoded into, so cycles through arrays survive: a *jsvalue.Array when its
// length is at most denseSlack (holes become jsvalue.Hole), else a
// *jsvalue.SparseArray.
type openArray struct {
	length uint32
	arr    *jsvalue.Array
	sparse *jsvalue.SparseArray
}

// placeholder returns the pointer a reference to the open array gets.
func (oa *openArray) placeholder() any {
	switch {
	case oa.arr != nil:
		return oa.arr
	case oa.sparse != nil:
		return oa.sparse
	case oa.length <= denseSlack:
		oa.arr = &jsvalue.Array{}
		return oa.arr
	default:
		oa.sparse = &jsvalue.SparseArray{}
		return oa.sparse
	}
}

// denseSlack is the longest array referred to from inside itself that is
// decoded as a *jsvalue.Array, and how many holes beyond twice its present
// elements it may have after indices past its length extended it.
const denseSlack = 1024

// object reads an object's properties: StringData names and values, up to
// the terminator.
func (s *decState) object() (any, error) {
	if err := s.enter(); err != nil {
		return nil, err
	}
	defer s.leave()
	o := &s.objects.take(1, s.chunkFor(16, 4, 32))[0]
	s.register(o)
	props, err := s.members()
	if err != nil {
		return nil, err
	}
	o.Props = jsvalue.EnumerationOrder(props)
	return o, nil
}

// members reads name, value pairs up to the terminator and returns them in
// a slice of their own (nil for none). A name given twice keeps its first
// place and takes the last value, as assigning the property again in
// JavaScript does. They are gathered on the decoder's property stack, which
// nested objects share above them, so that the result is allocated once at
// its size.
func (s *decState) members() ([]jsvalue.Property, error) {
	start := len(s.propStack)
	defer func() { s.propStack = s.propStack[:start] }()
	var index map[string]int
	for {
		w, err := s.u32()
		if err != nil {
			return nil, err
		}
		if w == markTerminator {
			props := s.propStack[start:]
			if len(props) == 0 {
				return nil, nil
			}
			out := s.props.take(len(props), s.chunkFor(8, 8, 64))
			copy(out, props)
			clear(props)
			return out, nil
		}
		key, err := s.stringData(w)
		if err != nil {
			return nil, err
		}
		v, err := s.value()
		if err != nil {
			return nil, err
		}
		props := s.propStack[start:]
		if index == nil && len(props) >= indexedProps {
			index = make(map[string]int, 2*len(props))
			for i, p := range props {
				index[p.Key] = i
			}
		}
		if index != nil {
			if i, ok := index[key]; ok {
				props[i].Value = v
				continue
			}
			index[key] = len(props)
		} else if i := slices.IndexFunc(props, func(p jsvalue.Property) bool { return p.Key == key }); i >= 0 {
			props[i].Value = v
			continue
		}
		s.propStack = append(s.propStack, jsvalue.Property{Key: key, Value: v})
	}
}

// indexedProps is how many properties an object has read before a map
// finds a name given twice; below it a scan is quicker than hashing.
const indexedProps = 16

// array reads an array: its length, index, value pairs for the elements
// present, and optionally its named properties. An index at or beyond the
// length extends it, and a named property that is an array index is an
// element, as JavaScriptCore puts them.
func (s *decState) array() (any, error) {
	if err := s.enter(); err != nil {
		return nil, err
	}
	defer s.leave()
	n, err := s.u32()
	if err != nil {
		return nil, err
	}
	length := uint64(n)
	oa := s.openArray(n)
	slot := len(s.objs)
	s.register(oa)
	// The elements are gathered on the decoder's element stack (nested
	// arrays use it above them) and copied out once at their size.
	start := len(s.elemStack)
	defer func() { s.elemStack = s.elemStack[:start] }()
	var props []jsvalue.Property
	sorted := true
	add := func(i uint32, v any) {
		if len(s.elemStack) > start && i <= s.elemStack[len(s.elemStack)-1].Index {
			sorted = false
		}
		s.elemStack = append(s.elemStack, jsvalue.Element{Index: i, Value: v})
		if uint64(i) >= length {
			length = uint64(i) + 1
		}
	}
	for {
		w, err := s.u32()
		if err != nil {
			return nil, err
		}
		if w == markTerminator {
			break
		}
		if w == markNonIndexProps {
			named, err := s.members()
			if err != nil {
				return nil, err
			}
			for _, p := range named {
				if i, ok := jsvalue.IsIndexKey(p.Key); ok {
					add(i, p.Value)
				} else if p.Key == "length" {
					return nil, s.fail(ErrMalformed, "an array property named \"length\"")
				} else {
					props = append(props, p)
				}
			}
			break
		}
		v, err := s.value()
		if err != nil {
			return nil, err
		}
		add(w, v)
	}
	elems := s.elemStack[start:]
	defer clear(elems)
	if !sorted {
		slices.SortStableFunc(elems, func(a, b jsvalue.Element) int {
			return int(int64(a.Index) - int64(b.Index))
		})
		out := elems[:0]
		for _, e := range elems {
			if len(out) > 0 && out[len(out)-1].Index == e.Index {
				out[len(out)-1].Value = e.Value
				continue
			}
			out = append(out, e)
		}
		elems = out
	}
	var result any
	full := uint64(len(elems)) == length
	switch {
	case oa.sparse != nil:
		oa.sparse.Length, oa.sparse.Elements, oa.sparse.Props = uint32(length), ownElements(elems), props
		result = oa.sparse
	case oa.arr != nil && !full && length > 2*uint64(len(elems))+denseSlack:
		return nil, s.fail(ErrUnsupported, "an array that contains itself, with "+utoa(length)+" elements of which "+utoa(uint64(len(elems)))+" present")
	case full || oa.arr != nil:
		list := s.elems.take(int(length), s.chunkFor(4, 8, 128))
		if !full {
			for i := range list {
				list[i] = jsvalue.Hole{}
			}
		}
		for _, e := range elems {
			list[e.Index] = e.Value
		}
		if oa.arr == nil && len(props) == 0 {
			result = list
		} else {
			if oa.arr == nil {
				oa.arr = &jsvalue.Array{}
			}
			oa.arr.Elements, oa.arr.Props = list, props
			result = oa.arr
		}
	default:
		result = &jsvalue.SparseArray{Length: uint32(length), Elements: ownElements(elems), Props: props}
	}
	s.objs[slot] = result
	*oa = openArray{}
	s.spare = append(s.spare, oa)
	return result, nil
}

// openArray returns an empty openArray for an array of length n: a spare
// one whose array is complete (nothing refers to it any more), or a new one.
func (s *decState) openArray(n uint32) *openArray {
	if k := len(s.spare); k > 0 {
		oa := s.spare[k-1]
		s.spare = s.spare[:k-1]
		oa.length = n
		return oa
	}
	return &openArray{length: n}
}

// ownElements copies elements off the element stack; nil for none.
func ownElements(elems []jsvalue.Element) []jsvalue.Element {
	if len(elems) == 0 {
		return nil
	}
	return append([]jsvalue.Element(nil), elems...)
}

// mapValue reads a Map: key, value pairs up to NonMapPropertiesTag, then
// its named properties, which the model has no place for. Entries go in as
// Map.prototype.set puts them: a key met again replaces the value in its
// first place, and -0 is 0.
func (s *decState) mapValue() (any, error) {
	if err := s.enter(); err != nil {
		return nil, err
	}
	defer s.leave()
	m := &jsvalue.Map{}
	s.register(m)
	var index map[jsvalue.ZeroKey]int
	for {
		done, err := s.collectionEnd(tagNonMapProperties, "Map")
		if err != nil || done {
			return m, err
		}
		k, err := s.value()
		if err != nil {
			return nil, err
		}
		v, err := s.value()
		if err != nil {
			return nil, err
		}
		if zk, ok := jsvalue.SameValueZeroKey(k); ok {
			if index == nil {
				index = make(map[jsvalue.ZeroKey]int)
			}
			if i, dup := index[zk]; dup {
				m.Entries[i].Value = v
				continue
			}
			index[zk] = len(m.Entries)
		}
		m.Entries = append(m.Entries, jsvalue.Entry{Key: normalizeZero(k), Value: v})
	}
}

// setValue reads a Set: values up to NonSetPropertiesTag, then its named
// properties, which the model has no place for. A value met again is
// dropped and -0 is 0, as Set.prototype.add does.
func (s *decState) setValue() (any, error) {
	if err := s.enter(); err != nil {
		return nil, err
	}
	defer s.leave()
	set := &jsvalue.Set{}
	s.register(set)
	var seen map[jsvalue.ZeroKey]bool
	for {
		done, err := s.collectionEnd(tagNonSetProperties, "Set")
		if err != nil || done {
			return set, err
		}
		v, err := s.value()
		if err != nil {
			return nil, err
		}
		if zk, ok := jsvalue.SameValueZeroKey(v); ok {
			if seen == nil {
				seen = make(map[jsvalue.ZeroKey]bool)
			}
			if seen[zk] {
				continue
			}
			seen[zk] = true
		}
		set.Values = append(set.Values, normalizeZero(v))
	}
}

// collectionEnd consumes the tag that ends a Map's or Set's entries, and the
// properties after it, which must be none.
func (s *decState) collectionEnd(end byte, what string) (bool, error) {
	if s.off >= len(s.data) {
		return false, s.fail(ErrTruncated, "")
	}
	if s.data[s.off] != end {
		return false, nil
	}
	s.off++
	at := s.off
	props, err := s.members()
	if err != nil {
		return false, err
	}
	if len(props) > 0 {
		return false, s.failAt(at, ErrUnsupported, "a "+what+" with properties of its own ("+quote(props[0].Key)+")")
	}
	return true, nil
}
