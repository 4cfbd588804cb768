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
	props := jsvalue.EnumerationOrder(o.Props)
	asDouble := indexedDoubles(props)
	for i, p := range props {
		if err := s.stringData(p.Key); err != nil {
			return err
		}
		if err := s.element(p.Value, asDouble(i)); err != nil {
			return err
		}
	}
	s.u32(markTerminator)
	return nil
}

// indexedDoubles tells which of an object's properties, in enumeration
// order (index keys first, ascending), JavaScriptCore holds as doubles after
// reading them, so that they are written as doubles and Bun writes the
// object it read back identically. The index-keyed properties go into the
// object's indexed storage one by one, which takes the shapes an array's
// storage takes (doubleShape): the int32s before the first number that is
// not an int32 become doubles. A later int32 is stored as a double too
// unless its index sends it to the storage's sparse map, which keeps values
// as they are; JavaScriptCore decides that from the storage's vector length,
// which is approximated here by the index alone (sparseIndex).
func indexedDoubles(props []jsvalue.Property) func(int) bool {
	n := 0
	for n < len(props) {
		if _, ok := jsvalue.IsIndexKey(props[n].Key); !ok {
			break
		}
		n++
	}
	upTo := doubleShape(n, func(i int) any { return props[i].Value })
	if upTo == 0 {
		return func(int) bool { return false }
	}
	first := 0 // the first number that is not an int32
	for first < upTo {
		if f, ok := props[first].Value.(float64); ok && !isInt32(f) {
			break
		}
		first++
	}
	return func(i int) bool {
		if i >= upTo {
			return false
		}
		if i <= first {
			return true
		}
		index, _ := jsvalue.IsIndexKey(props[i].Key)
		return index < sparseIndex
	}
}

// sparseIndex approximates where JavaScriptCore puts an object's index
// beyond its storage vector into the sparse map rather than growing the
// vector (an index of 1000 or more past a short vector goes there).
const sparseIndex = 1000

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
	doublesUpTo := doubleShape(len(elems), func(i int) any { return elems[i] })
	for i, e := range elems {
		if _, hole := e.(jsvalue.Hole); hole {
			continue
		}
		s.u32(uint32(i))
		if err := s.element(e, i < doublesUpTo); err != nil {
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
			if _, isIndex := jsvalue.IsIndexKey(p.Key); isIndex {
				return encodeErr(v, "array property "+quote(p.Key)+" is an array index: make it an element")
			}
			if p.Key == "length" {
				return encodeErr(v, "an array's property \"length\" is its length")
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
	doublesUpTo := doubleShape(len(a.Elements), func(i int) any { return a.Elements[i].Value })
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
		if err := s.element(e.Value, i < doublesUpTo); err != nil {
			return err
		}
	}
	return s.arrayProps(a, a.Props)
}

// mapValue writes a Map: key, value pairs, NonMapPropertiesTag and (no
// properties) the terminator. A key -0 is written as 0, as a Map holds it;
// two keys a Map would take for one are refused.
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
	var keys map[jsvalue.ZeroKey]bool
	for _, e := range m.Entries {
		if k, ok := jsvalue.SameValueZeroKey(e.Key); ok {
			if keys == nil {
				keys = make(map[jsvalue.ZeroKey]bool, len(m.Entries))
			}
			if keys[k] {
				return encodeErr(m, "two entries with the same key (as Map compares keys)")
			}
			keys[k] = true
		}
		if err := s.value(normalizeZero(e.Key)); err != nil {
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

// setValue writes a Set: values, NonSetPropertiesTag and the terminator,
// with -0 written as 0 and a value given twice refused, as for Map keys.
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
	var keys map[jsvalue.ZeroKey]bool
	for _, v := range set.Values {
		if k, ok := jsvalue.SameValueZeroKey(v); ok {
			if keys == nil {
				keys = make(map[jsvalue.ZeroKey]bool, len(set.Values))
			}
			if keys[k] {
				return encodeErr(set, "the same value twice (as Set compares values)")
			}
			keys[k] = true
		}
		if err := s.value(normalizeZero(v)); err != nil {
			return err
		}
	}
	s.b = append(s.b, tagNonSetProperties)
	s.u32(markTerminator)
	return nil
}

// element writes an array element; a number is written as a double when
// asDouble is set.
func (s *encState) element(v any, asDouble bool) error {
	if f, ok := v.(float64); ok && asDouble {
		s.double(f)
		return nil
	}
	return s.value(v)
}

// doubleShape returns how many of an array's n elements (holes skipped)
// JavaScriptCore holds as doubles after reading them, as it puts them one by
// one into a new array: its storage starts int32 or double with the first
// number, turns double at the first number that is not an int32 (the
// int32s before it become doubles, and later int32s are stored as doubles),
// and turns into plain values at the first element that is not a number or
// is NaN, keeping each number as it was held. The numbers before that first
// non-number are all doubles when one of them is not an int32; Marshal
// writes them so, and Bun writes the array it read back identically.
func doubleShape(n int, at func(int) any) int {
	anyDouble := false
	for i := range n {
		switch x := at(i).(type) {
		case jsvalue.Hole:
		case float64:
			if x == x {
				if !isInt32(x) {
					anyDouble = true
				}
				break
			}
			// NaN is how double storage marks a hole: a NaN element turns
			// the storage into plain values, as a non-number does.
			if anyDouble {
				return i
			}
			return 0
		default:
			if anyDouble {
				return i
			}
			return 0
		}
	}
	if anyDouble {
		return n
	}
	return 0
}
