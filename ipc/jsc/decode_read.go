package jsc

import (
	"encoding/binary"
	"math"
)

// Fixed-width little-endian reads. Each checks the remaining input first.

func (s *decState) byte1() (byte, error) {
	if s.off >= len(s.data) {
		return 0, s.fail(ErrTruncated, "")
	}
	c := s.data[s.off]
	s.off++
	return c, nil
}

func (s *decState) u16() (uint16, error) {
	if len(s.data)-s.off < 2 {
		return 0, s.fail(ErrTruncated, "")
	}
	v := binary.LittleEndian.Uint16(s.data[s.off:])
	s.off += 2
	return v, nil
}

func (s *decState) u32() (uint32, error) {
	if len(s.data)-s.off < 4 {
		return 0, s.fail(ErrTruncated, "")
	}
	v := binary.LittleEndian.Uint32(s.data[s.off:])
	s.off += 4
	return v, nil
}

func (s *decState) u64() (uint64, error) {
	if len(s.data)-s.off < 8 {
		return 0, s.fail(ErrTruncated, "")
	}
	v := binary.LittleEndian.Uint64(s.data[s.off:])
	s.off += 8
	return v, nil
}

func (s *decState) f64() (float64, error) {
	u, err := s.u64()
	return math.Float64frombits(u), err
}

// length reads a buffer length or offset: 32-bit before version 10, 64-bit
// from it on.
func (s *decState) length() (uint64, error) {
	if s.version < versionWideLengths {
		v, err := s.u32()
		return uint64(v), err
	}
	return s.u64()
}

// boolean reads JavaScriptCore's boolean: a 32-bit integer, 0 or 1.
func (s *decState) boolean() (bool, error) {
	at := s.off
	v, err := s.u32()
	if err != nil {
		return false, err
	}
	if v > 1 {
		return false, s.failAt(at, ErrMalformed, "boolean "+utoa(uint64(v)))
	}
	return v == 1, nil
}

// poolIndex reads an index into a pool of n entries: one byte while the
// pool has at most 255 entries, two while it has at most 65535, else four,
// as JavaScriptCore sizes it on both sides from the pool's current size.
func (s *decState) poolIndex(n int) (int, error) {
	at := s.off
	var i int
	switch {
	case n <= 0xFF:
		v, err := s.byte1()
		if err != nil {
			return 0, err
		}
		i = int(v)
	case n <= 0xFFFF:
		v, err := s.u16()
		if err != nil {
			return 0, err
		}
		i = int(v)
	default:
		v, err := s.u32()
		if err != nil {
			return 0, err
		}
		i = int(v)
	}
	if i >= n {
		return 0, s.failAt(at, ErrBadReference, "index "+utoa(uint64(i))+" of a pool of "+utoa(uint64(n)))
	}
	return i, nil
}

// take returns the next n bytes, checking first that they are there.
func (s *decState) take(n uint64) ([]byte, error) {
	if n > uint64(len(s.data)-s.off) {
		return nil, s.fail(ErrLength, "length "+utoa(n)+" beyond the remaining "+utoa(uint64(len(s.data)-s.off))+" bytes")
	}
	p := s.data[s.off : s.off+int(n)]
	s.off += int(n)
	return p, nil
}

// stringData reads a StringData whose leading 32-bit word w has been read:
// a pool reference, or characters that join the pool.
func (s *decState) stringData(w uint32) (string, error) {
	i, err := s.pooledString(w)
	if err != nil {
		return "", err
	}
	return s.strs[i], nil
}

// pooledString reads a StringData whose leading 32-bit word w has been
// read and returns its index in the string pool: the index a reference
// gives, or the one the new string takes.
func (s *decState) pooledString(w uint32) (int, error) {
	if w == markStringPool {
		return s.poolIndex(len(s.strs))
	}
	n := uint64(w &^ flagLatin1)
	if n >= maxStringUnits {
		return 0, s.fail(ErrLength, "string of "+utoa(n)+" characters")
	}
	var str string
	if w&flagLatin1 != 0 {
		p, err := s.take(n)
		if err != nil {
			return 0, err
		}
		str = s.latin1String(p)
	} else {
		p, err := s.take(2 * n)
		if err != nil {
			return 0, err
		}
		str = utf16String(p)
	}
	s.strs = append(s.strs, str)
	return len(s.strs) - 1, nil
}

// strValue reads a StringData where a string value stands and returns it
// as an interface value; a string read again from the pool shares the
// interface value made the first time.
func (s *decState) strValue() (any, error) {
	at := s.off
	w, err := s.u32()
	if err != nil {
		return nil, err
	}
	if w == markTerminator {
		return nil, s.failAt(at, ErrMalformed, "terminator where a string belongs")
	}
	i, err := s.pooledString(w)
	if err != nil {
		return nil, err
	}
	for len(s.strBoxes) <= i {
		s.strBoxes = append(s.strBoxes, nil)
	}
	if s.strBoxes[i] == nil {
		s.strBoxes[i] = s.strs[i]
	}
	return s.strBoxes[i], nil
}

// str reads a StringData where only a string may stand.
func (s *decState) str() (string, error) {
	at := s.off
	w, err := s.u32()
	if err != nil {
		return "", err
	}
	if w == markTerminator {
		return "", s.failAt(at, ErrMalformed, "terminator where a string belongs")
	}
	return s.stringData(w)
}

// nullableString reads a boolean "is null" and, unless it is set, a string.
func (s *decState) nullableString() (string, bool, error) {
	isNull, err := s.boolean()
	if err != nil || isNull {
		return "", false, err
	}
	str, err := s.str()
	return str, err == nil, err
}
