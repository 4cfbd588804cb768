package jsc

import (
	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

// object writes a plain object: its properties in JavaScript's order
// (array indices ascending, then the others as held), each a StringData name
// and a value, then the terminator.
func (s *encState) object(o *jsvalue.Object) error {
	k, ok := pointerKey(o)
	if s.seen(k, ok) {
		return nil
	}
	s.record(k, ok)
	if err := s.enter(o); err != nil {
		return err
	}
	defer s.leave()
	s.b = append(s.b, tagObject)
	if err := s.members(jsOrder(o.Props)); err != nil {
		return err
	}
	s.u32(markTerminator)
	return nil
}

// members writes name, value pairs.
func (s *encState) members(props []jsvalue.Property) error {
	for _, p := range props {
		if err := s.stringData(p.Key); err != nil {
			return err
		}
		if err := s.value(p.Value); err != nil {
			return err
		}
	}
	return nil
}

// array writes an array: its length, an index, value pair for each element
// that is not a hole, and, when it has named properties, the
// NonIndexProperties marker and the properties; then the terminator.
func (s *encState) array(v any, k identKey, ok bool, elems []any, props []jsvalue.Property) error {
	if s.seen(k, ok) {
		return nil
	}
	if uint64(len(elems)) >= maxArrayIndexPlusOne {
		return encodeErr(v, "more than 2^32-1 elements")
	}
	s.record(k, ok)
	if err := s.enter(v); err != nil {
		return err
	}
	defer s.leave()
	s.b = append(s.b, tagArray)
	s.u32(uint32(len(elems)))
	for i, e := range elems {
		if _, hole := e.(jsvalue.Hole); hole {
			continue
		}
		s.u32(uint32(i))
		if err := s.value(e); err != nil {
			return err
		}
	}
	return s.arrayProps(v, props)
}

// arrayProps writes an array's named properties, if any, and the
// terminator. A property named like an index would land among the elements
// on the other side, so it is refused.
func (s *encState) arrayProps(v any, props []jsvalue.Property) error {
	if len(props) > 0 {
		for _, p := range props {
			if _, isIndex := indexKey(p.Key); isIndex {
				return encodeErr(v, "array property "+quote(p.Key)+" is an array index: make it an element")
			}
		}
		s.u32(markNonIndexProps)
		if err := s.members(props); err != nil {
			return err
		}
	}
	s.u32(markTerminator)
	return nil
}

// sparseArray writes a *jsvalue.SparseArray: its length and its present
// elements, which must be in ascending index order below the length.
func (s *encState) sparseArray(a *jsvalue.SparseArray) error {
	k, ok := pointerKey(a)
	if s.seen(k, ok) {
		return nil
	}
	s.record(k, ok)
	if err := s.enter(a); err != nil {
		return err
	}
	defer s.leave()
	s.b = append(s.b, tagArray)
	s.u32(a.Length)
	for i, e := range a.Elements {
		if e.Index >= a.Length || i > 0 && e.Index <= a.Elements[i-1].Index {
			return encodeErr(a, "elements must be in ascending index order below Length")
		}
		if e.Index == markNonIndexProps {
			return encodeErr(a, "index 4294967293 is the marker JavaScriptCore reads as \"named properties follow\"")
		}
		if _, hole := e.Value.(jsvalue.Hole); hole {
			continue
		}
		s.u32(e.Index)
		if err := s.value(e.Value); err != nil {
			return err
		}
	}
	return s.arrayProps(a, a.Props)
}

// mapValue writes a Map: key, value pairs, NonMapPropertiesTag and (no
// properties) the terminator.
func (s *encState) mapValue(m *jsvalue.Map) error {
	k, ok := pointerKey(m)
	if s.seen(k, ok) {
		return nil
	}
	s.record(k, ok)
	if err := s.enter(m); err != nil {
		return err
	}
	defer s.leave()
	s.b = append(s.b, tagMap)
	for _, e := range m.Entries {
		if err := s.value(e.Key); err != nil {
			return err
		}
		if err := s.value(e.Value); err != nil {
			return err
		}
	}
	s.b = append(s.b, tagNonMapProperties)
	s.u32(markTerminator)
	return nil
}

// setValue writes a Set: values, NonSetPropertiesTag and the terminator.
func (s *encState) setValue(set *jsvalue.Set) error {
	k, ok := pointerKey(set)
	if s.seen(k, ok) {
		return nil
	}
	s.record(k, ok)
	if err := s.enter(set); err != nil {
		return err
	}
	defer s.leave()
	s.b = append(s.b, tagSet)
	for _, v := range set.Values {
		if err := s.value(v); err != nil {
			return err
		}
	}
	s.b = append(s.b, tagNonSetProperties)
	s.u32(markTerminator)
	return nil
}
