package jsc

import "unsafe"

// The encoder's string pool: every string written (values, property names,
// a RegExp's source and flags, an Error's message and stack) takes the next
// index, and a string equal to one written before is written as a
// reference to it, as JavaScriptCore's writer dedupes its strings by
// content.
//
// A lookup tries, in order: a small cache keyed by the string's address and
// length (a Go program's repeated property names are usually one string in
// memory, and so are the strings a Decode shares from its own pool), then a
// scan of the pool while it is short, then a map by content.

// smallPool is how many strings the pool holds before it is indexed by a
// map: below it a scan is quicker than hashing.
const smallPool = 16

// strCacheSize is the number of slots of strCache, a power of two.
const strCacheSize = 64

// strCache maps the address and length of strings written in this Marshal
// to their pool index. An address is kept as a uintptr: every string it
// names is reachable from the value being encoded until the Marshal ends,
// so no address can be reused for other bytes while its entry is valid, and
// forget invalidates all entries before the next Marshal by moving to a new
// generation.
type strCache struct {
	gen   uint32
	slots [strCacheSize]strSlot
}

type strSlot struct {
	addr  uintptr
	n     int
	index int
	gen   uint32
}

func (c *strCache) forget() {
	c.gen++
	if c.gen == 0 { // wrapped: entries of an old generation could match again
		c.slots = [strCacheSize]strSlot{}
		c.gen = 1
	}
}

func strSlotOf(addr uintptr, n int) int {
	return int((addr>>3)^(addr>>9)^uintptr(n)) & (strCacheSize - 1)
}

// get returns the pool index of the string at addr of length n, if cached.
func (c *strCache) get(addr uintptr, n int) (int, bool) {
	e := &c.slots[strSlotOf(addr, n)]
	if e.gen == c.gen && e.addr == addr && e.n == n {
		return e.index, true
	}
	return 0, false
}

func (c *strCache) put(addr uintptr, n, index int) {
	c.slots[strSlotOf(addr, n)] = strSlot{addr: addr, n: n, index: index, gen: c.gen}
}

// pooled returns the pool index of str, if it was written before.
func (s *encState) pooled(str string) (int, bool) {
	addr := uintptr(unsafe.Pointer(unsafe.StringData(str)))
	if len(str) > 0 {
		if i, ok := s.seenStr.get(addr, len(str)); ok {
			return i, true
		}
	}
	i, ok := s.pooledByContent(str)
	if ok && len(str) > 0 {
		s.seenStr.put(addr, len(str), i)
	}
	return i, ok
}

func (s *encState) pooledByContent(str string) (int, bool) {
	if s.indexed {
		i, ok := s.strs[str]
		return i, ok
	}
	for i, p := range s.strList {
		if p == str {
			return i, true
		}
	}
	return 0, false
}

// pool adds str to the string pool.
func (s *encState) pool(str string) {
	s.strList = append(s.strList, str)
	if len(str) > 0 {
		s.seenStr.put(uintptr(unsafe.Pointer(unsafe.StringData(str))), len(str), len(s.strList)-1)
	}
	switch {
	case s.indexed:
		s.strs[str] = len(s.strList) - 1
	case len(s.strList) > smallPool:
		if s.strs == nil {
			s.strs = make(map[string]int, 2*len(s.strList))
		}
		for i, p := range s.strList {
			s.strs[p] = i
		}
		s.indexed = true
	}
}
