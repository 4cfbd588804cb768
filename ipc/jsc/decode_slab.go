package jsc

import (
	"unicode/utf8"
	"unsafe"
)

// The values of one Decode are carved out of chunks instead of being
// allocated one by one: objects, their property lists, array element lists
// and the bytes of ASCII strings. A chunk belongs to one Decode's result
// (reset drops the unused rest), so values of different Decodes never share
// memory; a value the program keeps can keep the rest of its chunk alive,
// which chunkFor bounds.

// slab hands out pieces of a chunk of Ts.
type slab[T any] struct{ free []T }

// take returns n zero Ts whose capacity is n, so that appending to them
// never writes into a neighbour; a new chunk holds at least chunk Ts. The
// slice is never nil, not even for n = 0 (an empty array is not null).
func (sl *slab[T]) take(n, chunk int) []T {
	if n == 0 {
		return []T{}
	}
	if n > len(sl.free) {
		sl.free = make([]T, max(n, chunk))
	}
	out := sl.free[:n:n]
	sl.free = sl.free[n:]
	return out
}

// chunkFor returns the size of a new chunk for values of which each takes
// at least per bytes of input: as many as the rest of the input could hold,
// between lo and hi.
func (s *decState) chunkFor(per, lo, hi int) int {
	return min(max((len(s.data)-s.off)/per, lo), hi)
}

// latin1String returns the WTF-8 form of Latin-1 characters, in bytes
// carved out of the Decode's byte chunk: a character below 0x80 is one
// byte, the others two.
func (s *decState) latin1String(p []byte) string {
	if len(p) == 0 {
		return ""
	}
	n := len(p)
	for _, c := range p {
		n += int(c >> 7)
	}
	b := s.bytes.take(n, s.chunkFor(1, 64, 1024))
	if n == len(p) {
		copy(b, p)
	} else {
		b = b[:0]
		for _, c := range p {
			b = utf8.AppendRune(b, rune(c))
		}
	}
	return unsafe.String(&b[0], len(b))
}
