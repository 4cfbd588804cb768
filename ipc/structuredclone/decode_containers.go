package structuredclone

import (
	"strconv"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

// key reads a property key. In version 0 it is a string; in version 1 an
// INDEX, a NAME (added to the message's name table) or a NAME_REFERENCE into
// that table. index and isIndex tell whether it is a canonical array index;
// name is only set when it is not.
func (s *decState) key() (name string, index uint32, isIndex bool, err error) {
	if !s.v1 {
		name, err = s.readString()
		if err == nil {
			index, isIndex = indexKey(name)
		}
		return name, index, isIndex, err
	}
	at := s.off
	kind, err := s.readUint()
	if err != nil {
		return "", 0, false, err
	}
	switch kind {
	case keyIndex:
		n, err := s.readUint()
		if err != nil {
			return "", 0, false, err
		}
		if n <= maxIndex {
			return "", uint32(n), true, nil
		}
		return utoa(n), 0, false, nil
	case keyName:
		name, err = s.readString()
		if err != nil {
			return "", 0, false, err
		}
		s.names = append(s.names, name)
	case keyNameReference:
		r, err := s.readUint()
		if err != nil {
			return "", 0, false, err
		}
		if r >= uint64(len(s.names)) {
			return "", 0, false, &SyntaxError{Offset: at, Err: ErrBadReference, Detail: "property name " + utoa(r) + " not found"}
		}
		name = s.names[r]
	default:
		return "", 0, false, &SyntaxError{Offset: at, Err: ErrUnknownTag, Detail: "property key kind " + utoa(kind)}
	}
	index, isIndex = indexKey(name)
	return name, index, isIndex, nil
}

// object reads an OBJECT: its properties, in the order JavaScript enumerates
// them (index keys ascending first, then the others as written). A key
// written twice keeps its first place and its last value, as in JavaScript.
func (s *decState) object(id uint64, at int) (any, error) {
	if err := s.enter(); err != nil {
		return nil, err
	}
	defer s.leave()
	o := &jsvalue.Object{}
	if err := s.register(id, o, at); err != nil {
		return nil, err
	}
	n, err := s.readCount(2)
	if err != nil {
		return nil, err
	}
	o.Props = make([]jsvalue.Property, 0, n)
	for range n {
		name, index, isIndex, err := s.key()
		if err != nil {
			return nil, err
		}
		if isIndex && name == "" {
			name = strconv.FormatUint(uint64(index), 10)
		}
		v, err := s.value()
		if err != nil {
			return nil, err
		}
		o.Props = append(o.Props, jsvalue.Property{Key: name, Value: v})
	}
	o.Props = jsOrder(dedupeProps(o.Props))
	return o, nil
}

// dedupeProps merges repeated keys: first place, last value.
func dedupeProps(ps []jsvalue.Property) []jsvalue.Property {
	if len(ps) < 2 {
		return ps
	}
	if len(ps) <= 16 {
		dup := false
		for i := 1; i < len(ps) && !dup; i++ {
			for j := 0; j < i; j++ {
				if ps[i].Key == ps[j].Key {
					dup = true
					break
				}
			}
		}
		if !dup {
			return ps
		}
	}
	pos := make(map[string]int, len(ps))
	out := ps[:0]
	for _, p := range ps {
		if i, ok := pos[p.Key]; ok {
			out[i].Value = p.Value
			continue
		}
		pos[p.Key] = len(out)
		out = append(out, p)
	}
	return out
}

// mapValue reads a MAP's entries.
func (s *decState) mapValue(id uint64, at int) (any, error) {
	if err := s.enter(); err != nil {
		return nil, err
	}
	defer s.leave()
	m := &jsvalue.Map{}
	if err := s.register(id, m, at); err != nil {
		return nil, err
	}
	n, err := s.readCount(2)
	if err != nil {
		return nil, err
	}
	if n > 0 {
		m.Entries = make([]jsvalue.Entry, n)
	}
	for i := range m.Entries {
		if m.Entries[i].Key, err = s.value(); err != nil {
			return nil, err
		}
		if m.Entries[i].Value, err = s.value(); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// setValue reads a SET's values.
func (s *decState) setValue(id uint64, at int) (any, error) {
	if err := s.enter(); err != nil {
		return nil, err
	}
	defer s.leave()
	set := &jsvalue.Set{}
	if err := s.register(id, set, at); err != nil {
		return nil, err
	}
	n, err := s.readCount(1)
	if err != nil {
		return nil, err
	}
	if n > 0 {
		set.Values = make([]any, n)
	}
	for i := range set.Values {
		if set.Values[i], err = s.value(); err != nil {
			return nil, err
		}
	}
	return set, nil
}
