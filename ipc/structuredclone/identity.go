package structuredclone

import "unsafe"

// Identity of the objects an encoder meets, so that an object reached twice
// is written once and referred back to, as bare-structured-clone's
// ReferenceMap does. Pointers (*jsvalue.Object, *jsvalue.Map, ...) are
// identified by address; slices ([]any, []byte, ArrayBuffer, a TypedArray's
// Data) by the address and length of their bytes. A zero-length slice with no
// capacity has no address of its own and so never matches another.

type identKind uint8

const (
	identPointer     identKind = iota + 1
	identList                  // []any
	identBuffer                // []byte, a Buffer
	identArrayBuffer           // ArrayBuffer, and the buffer under every view
	identView                  // + TypedArrayKind: a typed array or DataView
)

type identKey struct {
	p unsafe.Pointer
	n int
	k identKind
}

// pointerKey identifies a non-nil pointer.
func pointerKey[T any](p *T) identKey {
	return identKey{p: unsafe.Pointer(p), k: identPointer}
}

// sliceKey identifies a slice; ok is false when it has no storage.
func sliceKey[T any](s []T, k identKind) (identKey, bool) {
	if cap(s) == 0 {
		return identKey{}, false
	}
	return identKey{p: unsafe.Pointer(unsafe.SliceData(s)), n: len(s), k: k}, true
}

// lookup returns the id of an object already written.
func (s *encState) lookup(k identKey) (uint64, bool) {
	if s.ids == nil {
		return 0, false
	}
	id, ok := s.ids[k]
	return id, ok
}

// register gives the object k the next id.
func (s *encState) register(k identKey) uint64 {
	if s.ids == nil {
		s.ids = make(map[identKey]uint64)
	}
	s.next++
	s.ids[k] = s.next
	return s.next
}

// fresh returns the next id for an object without identity (a Date, RegExp
// or URL value).
func (s *encState) fresh() uint64 {
	s.next++
	return s.next
}

// claim gives an object its id: when it was written already it writes a
// REFERENCE and reports seen; otherwise it registers the object (or, when it
// has no identity, just takes the next id).
func (s *encState) claim(k identKey, hasIdentity bool) (id uint64, seen bool) {
	if !hasIdentity {
		return s.fresh(), false
	}
	if id, ok := s.lookup(k); ok {
		s.ref(id)
		return id, true
	}
	return s.register(k), false
}

// begin starts a container: a REFERENCE when it was written already (done),
// else its tag and id, one level deeper (the caller then calls leave).
func (s *encState) begin(t tag, k identKey, hasIdentity bool) (done bool, err error) {
	id, seen := s.claim(k, hasIdentity)
	if seen {
		return true, nil
	}
	if err := s.enter(); err != nil {
		return true, err
	}
	s.tag(t)
	s.uint(id)
	return false, nil
}
