package structuredclone

import (
	"encoding/binary"
	"math"
	"math/big"
	"math/bits"
	"strconv"
	"unicode/utf8"
)

func utoa(n uint64) string { return strconv.FormatUint(n, 10) }

func (s *decState) fail(err error, detail string) error {
	return &SyntaxError{Offset: s.off, Err: err, Detail: detail}
}

func (s *decState) truncated() error { return s.fail(ErrTruncated, "") }

func (s *decState) remaining() int { return len(s.data) - s.off }

// readUint reads a compact-encoding uint.
func (s *decState) readUint() (uint64, error) {
	if s.off >= len(s.data) {
		return 0, s.truncated()
	}
	c := s.data[s.off]
	if c <= 0xFC {
		s.off++
		return uint64(c), nil
	}
	var n int
	switch c {
	case 0xFD:
		n = 2
	case 0xFE:
		n = 4
	default:
		n = 8
	}
	if s.remaining() < 1+n {
		return 0, s.truncated()
	}
	p := s.data[s.off+1 : s.off+1+n]
	s.off += 1 + n
	switch n {
	case 2:
		return uint64(binary.LittleEndian.Uint16(p)), nil
	case 4:
		return uint64(binary.LittleEndian.Uint32(p)), nil
	}
	return binary.LittleEndian.Uint64(p), nil
}

// readInt reads a compact-encoding int (zigzag).
func (s *decState) readInt() (int64, error) {
	u, err := s.readUint()
	return unzigzag(u), err
}

// readFloat64 reads 8 little-endian bytes as a float64.
func (s *decState) readFloat64() (float64, error) {
	if s.remaining() < 8 {
		return 0, s.truncated()
	}
	f := math.Float64frombits(binary.LittleEndian.Uint64(s.data[s.off:]))
	s.off += 8
	return f, nil
}

// readBytes reads a uint length and that many bytes, without copying. A
// length beyond the input is an error before anything is allocated.
func (s *decState) readBytes() ([]byte, error) {
	at := s.off
	n, err := s.readUint()
	if err != nil {
		return nil, err
	}
	if n > uint64(s.remaining()) {
		return nil, &SyntaxError{Offset: at, Err: ErrTruncated, Detail: "length " + utoa(n) + " beyond the end of the input"}
	}
	p := s.data[s.off : s.off+int(n)]
	s.off += int(n)
	return p, nil
}

// readString reads a utf8 string, which must be valid UTF-8.
func (s *decState) readString() (string, error) {
	at := s.off
	p, err := s.readBytes()
	if err != nil {
		return "", err
	}
	if !utf8.Valid(p) {
		return "", &SyntaxError{Offset: at, Err: ErrInvalidUTF8}
	}
	return string(p), nil
}

// readCount reads an array count: at most 0x100000, as compact-encoding
// allows, and no more items (of at least min bytes each) than the input can
// still hold.
func (s *decState) readCount(min int) (int, error) {
	at := s.off
	n, err := s.readUint()
	if err != nil {
		return 0, err
	}
	if n > maxCount {
		return 0, &SyntaxError{Offset: at, Err: ErrTooBig, Detail: "count " + utoa(n) + " above 0x100000 (Array is too big)"}
	}
	if n*uint64(min) > uint64(s.remaining()) {
		return 0, &SyntaxError{Offset: at, Err: ErrTruncated, Detail: "count " + utoa(n) + " beyond the end of the input"}
	}
	return int(n), nil
}

// readBigInt reads a compact-encoding bigint: a limb count, the 64-bit limbs
// least significant first, then un-zigzags.
func (s *decState) readBigInt() (*big.Int, error) {
	at := s.off
	n, err := s.readUint()
	if err != nil {
		return nil, err
	}
	if n > uint64(s.remaining())/8 {
		return nil, &SyntaxError{Offset: at, Err: ErrTruncated, Detail: "bigint of " + utoa(n) + " limbs beyond the end of the input"}
	}
	z := new(big.Int)
	if n == 0 {
		return z, nil
	}
	p := s.data[s.off : s.off+8*int(n)]
	s.off += 8 * int(n)
	var words []big.Word
	if bits.UintSize == 64 {
		words = make([]big.Word, n)
		for i := range words {
			words[i] = big.Word(binary.LittleEndian.Uint64(p[8*i:]))
		}
	} else {
		words = make([]big.Word, 2*n)
		for i := range words {
			words[i] = big.Word(binary.LittleEndian.Uint32(p[4*i:]))
		}
	}
	z.SetBits(words)
	neg := z.Bit(0) == 1
	z.Rsh(z, 1)
	if neg {
		z.Add(z, bigOne)
		z.Neg(z)
	}
	return z, nil
}
