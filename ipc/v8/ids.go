package v8

// idKey names a Go value that stands for one JavaScript object: a model
// pointer, or a non-empty slice (its first element's address and length).
type idKey struct {
	p    uintptr
	n    int
	kind uint8
}

// Kinds of idKey, so a []byte and an ArrayBuffer over the same memory stay
// two objects.
const (
	idPointer uint8 = iota
	idSlice
	idBuffer
	idArrayBuffer
	idTypedArray
)

type idEntry struct {
	key idKey
	id  uint32
}

// smallIDs is how many objects the encoder tracks by linear search before it
// builds a map.
const smallIDs = 16

// idTable assigns V8 object ids in write order: every JavaScript object
// (JSReceiver) takes the next id, whether or not it can be referred back to.
type idTable struct {
	next  uint32
	small []idEntry
	big   map[idKey]uint32
}

func (t *idTable) reset() {
	t.next = 0
	t.small = t.small[:0]
	if t.big != nil {
		clear(t.big)
	}
}

// anon takes an id for an object that has no Go identity.
func (t *idTable) anon() { t.next++ }

// lookup returns the id of k if it was written before; otherwise it assigns
// the next id to k and returns false.
func (t *idTable) lookup(k idKey) (uint32, bool) {
	if len(t.big) > 0 {
		if id, ok := t.big[k]; ok {
			return id, true
		}
		t.big[k] = t.next
		t.next++
		return 0, false
	}
	for _, e := range t.small {
		if e.key == k {
			return e.id, true
		}
	}
	if len(t.small) < smallIDs {
		t.small = append(t.small, idEntry{k, t.next})
		t.next++
		return 0, false
	}
	if t.big == nil {
		t.big = make(map[idKey]uint32, 2*smallIDs)
	}
	for _, e := range t.small {
		t.big[e.key] = e.id
	}
	t.small = t.small[:0]
	t.big[k] = t.next
	t.next++
	return 0, false
}
