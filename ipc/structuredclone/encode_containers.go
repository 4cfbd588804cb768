package structuredclone

import (
	"slices"
	"strconv"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

// object writes an OBJECT: id, then its properties in JavaScript's order.
func (s *encState) object(o *jsvalue.Object) error {
	if done, err := s.begin(tagObject, pointerKey(o), true); done {
		return err
	}
	defer s.leave()
	if err := s.count(len(o.Props)); err != nil {
		return err
	}
	return s.propsBody(o.Props)
}

// propsBody writes properties (without their count) in JavaScript's order:
// integer-like keys ascending first, then the others in the order held.
func (s *encState) propsBody(ps []jsvalue.Property) error {
	for _, p := range jsOrder(ps) {
		s.key(p.Key)
		if err := s.value(p.Value); err != nil {
			return err
		}
	}
	return nil
}

// list writes a []any as an ARRAY; Hole elements are absent.
func (s *encState) list(xs []any) error {
	id, seen := s.claim(sliceKey(xs, identList))
	if seen {
		return nil
	}
	return s.arrayOf(id, xs, nil)
}

// array writes an array with named properties.
func (s *encState) array(a *jsvalue.Array) error {
	id, seen := s.claim(pointerKey(a), true)
	if seen {
		return nil
	}
	return s.arrayOf(id, a.Elements, a.Props)
}

// arrayOf writes ARRAY id, length and then, in version 0, every present
// element and property as string-keyed properties; in version 1 the DENSE
// layout (all elements, then the properties) when there is no hole, else the
// SPARSE layout (index-keyed elements and the properties).
func (s *encState) arrayOf(id uint64, elems []any, props []jsvalue.Property) error {
	if err := s.enter(); err != nil {
		return err
	}
	defer s.leave()
	if uint64(len(elems)) > maxIndex+1 {
		return &UnsupportedValueError{Reason: "array longer than 2^32-1"}
	}
	holes := 0
	for _, e := range elems {
		if _, ok := e.(jsvalue.Hole); ok {
			holes++
		}
	}
	s.tag(tagArray)
	s.uint(id)
	s.uint(uint64(len(elems)))
	if s.v1 && holes == 0 {
		s.b = append(s.b, layoutDense)
		for _, e := range elems {
			if err := s.value(e); err != nil {
				return err
			}
		}
		if err := s.count(len(props)); err != nil {
			return err
		}
		return s.propsBody(props)
	}
	if s.v1 {
		s.b = append(s.b, layoutSparse)
	}
	if err := s.count(len(elems) - holes + len(props)); err != nil {
		return err
	}
	for i, e := range elems {
		if _, ok := e.(jsvalue.Hole); ok {
			continue
		}
		s.indexKey(uint64(i))
		if err := s.value(e); err != nil {
			return err
		}
	}
	return s.propsBody(props)
}

// sparseArray writes an array held by its present elements.
func (s *encState) sparseArray(a *jsvalue.SparseArray) error {
	id, seen := s.claim(pointerKey(a), true)
	if seen {
		return nil
	}
	if err := s.enter(); err != nil {
		return err
	}
	defer s.leave()
	els := sortedElements(a.Elements)
	length := uint64(a.Length)
	if n := len(els); n > 0 && uint64(els[n-1].Index) >= length {
		length = uint64(els[n-1].Index) + 1
	}
	s.tag(tagArray)
	s.uint(id)
	s.uint(length)
	if s.v1 && uint64(len(els)) == length {
		s.b = append(s.b, layoutDense)
		for _, e := range els {
			if err := s.value(e.Value); err != nil {
				return err
			}
		}
		if err := s.count(len(a.Props)); err != nil {
			return err
		}
		return s.propsBody(a.Props)
	}
	if s.v1 {
		s.b = append(s.b, layoutSparse)
	}
	if err := s.count(len(els) + len(a.Props)); err != nil {
		return err
	}
	for _, e := range els {
		s.indexKey(uint64(e.Index))
		if err := s.value(e.Value); err != nil {
			return err
		}
	}
	return s.propsBody(a.Props)
}

// sortedElements returns els ascending by index, the last of duplicates
// winning; els itself when it already is.
func sortedElements(els []jsvalue.Element) []jsvalue.Element {
	sorted := true
	for i := 1; i < len(els); i++ {
		if els[i].Index <= els[i-1].Index {
			sorted = false
			break
		}
	}
	if sorted {
		return els
	}
	c := slices.Clone(els)
	slices.SortStableFunc(c, func(a, b jsvalue.Element) int { return int(int64(a.Index) - int64(b.Index)) })
	out := c[:0]
	for _, e := range c {
		if len(out) > 0 && out[len(out)-1].Index == e.Index {
			out[len(out)-1] = e
			continue
		}
		out = append(out, e)
	}
	return out
}

// indexKey writes an array index as a property key: the decimal string in
// version 0, INDEX n in version 1.
func (s *encState) indexKey(n uint64) {
	if s.v1 {
		s.b = append(s.b, keyIndex)
		s.uint(n)
		return
	}
	var digits [20]byte
	d := strconv.AppendUint(digits[:0], n, 10)
	s.b = append(s.b, byte(len(d)))
	s.b = append(s.b, d...)
}

// key writes a property key: a string in version 0; in version 1 INDEX for a
// canonical array index, else NAME the first time a name appears in the
// message and NAME_REFERENCE to its place in the table after that.
func (s *encState) key(k string) {
	if !s.v1 {
		s.b = appendString(s.b, k)
		return
	}
	if n, ok := indexKey(k); ok {
		s.b = append(s.b, keyIndex)
		s.uint(uint64(n))
		return
	}
	if !validUTF8(k) {
		k = string(toUTF8(k))
	}
	if s.names == nil {
		s.names = make(map[string]uint64)
	}
	if r, ok := s.names[k]; ok {
		s.b = append(s.b, keyNameReference)
		s.uint(r)
		return
	}
	s.names[k] = uint64(len(s.names))
	s.b = append(s.b, keyName)
	s.b = appendString(s.b, k)
}

// mapValue writes a MAP: id, then its entries, key then value.
func (s *encState) mapValue(m *jsvalue.Map) error {
	if done, err := s.begin(tagMap, pointerKey(m), true); done {
		return err
	}
	defer s.leave()
	if err := s.count(len(m.Entries)); err != nil {
		return err
	}
	for _, e := range m.Entries {
		if err := s.value(e.Key); err != nil {
			return err
		}
		if err := s.value(e.Value); err != nil {
			return err
		}
	}
	return nil
}

// setValue writes a SET: id, then its values.
func (s *encState) setValue(set *jsvalue.Set) error {
	if done, err := s.begin(tagSet, pointerKey(set), true); done {
		return err
	}
	defer s.leave()
	return s.values(set.Values)
}

// values writes a count and the values.
func (s *encState) values(xs []any) error {
	if err := s.count(len(xs)); err != nil {
		return err
	}
	for _, v := range xs {
		if err := s.value(v); err != nil {
			return err
		}
	}
	return nil
}
