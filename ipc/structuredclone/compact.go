package structuredclone

import (
	"encoding/binary"
	"math"
	"math/big"
	"math/bits"
)

// This file holds the compact-encoding primitives both versions are built of.
// Everything is little-endian.

// appendUint appends n as a compact-encoding uint: one byte up to 0xFC, else
// a marker (0xFD, 0xFE, 0xFF) and a 2, 4 or 8-byte integer.
func appendUint(b []byte, n uint64) []byte {
	switch {
	case n <= 0xFC:
		return append(b, byte(n))
	case n <= 0xFFFF:
		return append(b, 0xFD, byte(n), byte(n>>8))
	case n <= 0xFFFFFFFF:
		return append(b, 0xFE, byte(n), byte(n>>8), byte(n>>16), byte(n>>24))
	default:
		b = append(b, 0xFF)
		return binary.LittleEndian.AppendUint64(b, n)
	}
}

// zigzag maps 0, -1, 1, -2, 2 ... to 0, 1, 2, 3, 4 ...
func zigzag(n int64) uint64 { return uint64(n<<1) ^ uint64(n>>63) }

// unzigzag is the inverse of zigzag.
func unzigzag(u uint64) int64 { return int64(u>>1) ^ -int64(u&1) }

// appendInt appends n as a compact-encoding int (zigzag, then uint).
func appendInt(b []byte, n int64) []byte { return appendUint(b, zigzag(n)) }

// appendFloat64 appends the IEEE-754 bits of f.
func appendFloat64(b []byte, f float64) []byte {
	return binary.LittleEndian.AppendUint64(b, math.Float64bits(f))
}

// appendBytes appends a compact-encoding arraybuffer or utf8 string: the
// length as a uint, then the bytes.
func appendBytes(b []byte, p []byte) []byte {
	b = appendUint(b, uint64(len(p)))
	return append(b, p...)
}

// appendBigInt appends n as a compact-encoding bigint: zigzag (2n for n > 0,
// 2(-n)-1 for n < 0), then a uint limb count and the 64-bit limbs, least
// significant first.
func appendBigInt(b []byte, n *big.Int) []byte {
	if n.Sign() == 0 {
		return append(b, 0)
	}
	var z big.Int
	if n.Sign() > 0 {
		z.Lsh(n, 1)
	} else {
		z.Neg(n)
		z.Lsh(&z, 1)
		z.Sub(&z, bigOne)
	}
	words := z.Bits() // little-endian words, no leading zero word
	if bits.UintSize == 64 {
		b = appendUint(b, uint64(len(words)))
		for _, w := range words {
			b = binary.LittleEndian.AppendUint64(b, uint64(w))
		}
		return b
	}
	limbs := (len(words) + 1) / 2
	b = appendUint(b, uint64(limbs))
	for i := 0; i < limbs; i++ {
		lo := uint64(words[2*i])
		var hi uint64
		if 2*i+1 < len(words) {
			hi = uint64(words[2*i+1])
		}
		b = binary.LittleEndian.AppendUint64(b, lo|hi<<32)
	}
	return b
}

var bigOne = big.NewInt(1)

// appendUint64LE appends n as 8 little-endian bytes.
func appendUint64LE(b []byte, n uint64) []byte { return binary.LittleEndian.AppendUint64(b, n) }
