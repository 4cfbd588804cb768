package v8

import (
	"encoding/binary"
	"unicode/utf8"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

// appendString appends s as V8 writes a string: a one-byte (Latin-1) string
// when every UTF-16 code unit is below 256, else a two-byte UTF-16LE string,
// preceded by a padding byte when needed so the UTF-16 data starts at an even
// offset from base (the position of the 0xFF header).
func appendString(b []byte, s string, base int) []byte {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		b = append(b, tagOneByteString)
		b = appendVarint(b, uint64(len(s)))
		return append(b, s...)
	}
	units, latin1 := jsvalue.UTF16Shape(s)
	if latin1 {
		b = append(b, tagOneByteString)
		b = appendVarint(b, uint64(units))
		for i := 0; i < len(s); {
			r, n := jsvalue.DecodeUnit(s, i)
			i += n
			b = append(b, byte(r))
		}
		return b
	}
	byteLen := uint64(units) * 2
	if (len(b)-base+1+varintLen(byteLen))&1 != 0 {
		b = append(b, tagPadding)
	}
	b = append(b, tagTwoByteString)
	b = appendVarint(b, byteLen)
	for i := 0; i < len(s); {
		r, n := jsvalue.DecodeUnit(s, i)
		i += n
		if r >= 0x10000 {
			r -= 0x10000
			b = binary.LittleEndian.AppendUint16(b, uint16(0xD800+(r>>10)))
			b = binary.LittleEndian.AppendUint16(b, uint16(0xDC00+(r&0x3FF)))
			continue
		}
		b = binary.LittleEndian.AppendUint16(b, uint16(r))
	}
	return b
}

// latin1String converts one-byte (Latin-1) string data to a Go string.
func latin1String(p []byte) string {
	extra := 0
	for _, c := range p {
		if c >= 0x80 {
			extra++
		}
	}
	if extra == 0 {
		return string(p)
	}
	out := make([]byte, 0, len(p)+extra)
	for _, c := range p {
		if c < 0x80 {
			out = append(out, c)
		} else {
			out = append(out, 0xC0|c>>6, 0x80|c&0x3F)
		}
	}
	return string(out)
}

// utf16String converts UTF-16LE string data (an even number of bytes) to a
// WTF-8 Go string: lone surrogates keep their three-byte form.
func utf16String(p []byte) string {
	out := make([]byte, 0, len(p)+len(p)/2)
	n := len(p) / 2
	for i := 0; i < n; i++ {
		u := rune(binary.LittleEndian.Uint16(p[2*i:]))
		if u >= 0xD800 && u < 0xDC00 && i+1 < n {
			if v := rune(binary.LittleEndian.Uint16(p[2*i+2:])); v >= 0xDC00 && v < 0xE000 {
				out = utf8.AppendRune(out, 0x10000+(u-0xD800)<<10+(v-0xDC00))
				i++
				continue
			}
		}
		if u >= 0xD800 && u < 0xE000 {
			out = append(out, 0xED, byte(0x80|(u>>6)&0x3F), byte(0x80|u&0x3F))
			continue
		}
		out = utf8.AppendRune(out, u)
	}
	return string(out)
}
