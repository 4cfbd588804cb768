package structuredclone

// register records the object with id. Version 0 lets a later object take an
// id over (bare-structured-clone 1.x gives every DataView the same id);
// version 1 refuses an id claimed twice, as 2.x does.
func (s *decState) register(id uint64, v any, at int) error {
	if id < uint64(len(s.refs)) {
		if s.v1 && s.refs[id] != nil {
			return &SyntaxError{Offset: at, Err: ErrBadReference, Detail: "id " + utoa(id) + " already seen"}
		}
		s.refs[id] = v
		return nil
	}
	// Ids are handed out in sequence, so the table grows by appending; an id
	// far ahead goes to a map instead, so a hostile id cannot make the table
	// huge.
	if id <= uint64(len(s.refs))+64 {
		for uint64(len(s.refs)) < id {
			s.refs = append(s.refs, nil)
		}
		s.refs = append(s.refs, v)
		return nil
	}
	if s.refMap == nil {
		s.refMap = make(map[uint64]any)
	}
	if _, dup := s.refMap[id]; dup && s.v1 {
		return &SyntaxError{Offset: at, Err: ErrBadReference, Detail: "id " + utoa(id) + " already seen"}
	}
	s.refMap[id] = v
	return nil
}

// replace points id at the settled Go value of an array.
func (s *decState) replace(id uint64, v any) {
	if id < uint64(len(s.refs)) {
		s.refs[id] = v
		return
	}
	if s.refMap != nil {
		s.refMap[id] = v
	}
}

// lookup returns the object registered with id.
func (s *decState) lookup(id uint64) (any, bool) {
	var v any
	if id < uint64(len(s.refs)) {
		v = s.refs[id]
	} else {
		v = s.refMap[id]
	}
	if p, ok := v.(*pendingArray); ok {
		p.hit = true
		return p.v, true
	}
	return v, v != nil
}

// pendingArray is registered for an array whose Go representation is not
// settled yet; hit records that something inside referred to it.
type pendingArray struct {
	v   any
	hit bool
}
