package v8

import (
	"encoding/binary"
	"math"
)

// appendVarint appends v as a base-128 varint, low group first, as V8's
// WriteVarint does.
func appendVarint(b []byte, v uint64) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

// varintLen is the number of bytes appendVarint writes for v.
func varintLen(v uint64) int {
	n := 1
	for v >= 0x80 {
		v >>= 7
		n++
	}
	return n
}

// appendZigZag appends an int32 zigzag-encoded, as V8's WriteZigZag does.
func appendZigZag(b []byte, v int32) []byte {
	return appendVarint(b, uint64(uint32((v<<1)^(v>>31))))
}

// appendDouble appends f in little-endian byte order. NaN is written in its
// canonical form (the only NaN JavaScript code can observe).
func appendDouble(b []byte, f float64) []byte {
	bits := math.Float64bits(f)
	if f != f {
		bits = 0x7FF8000000000000
	}
	return binary.LittleEndian.AppendUint64(b, bits)
}

// appendHeader appends 0xFF and the format version.
func appendHeader(b []byte) []byte {
	return append(b, tagVersion, Version)
}
