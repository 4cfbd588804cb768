package jsc

import (
	"unicode/utf16"
	"unicode/utf8"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

// Strings travel as StringData: a 32-bit length whose top bit says the
// characters are one byte each (Latin-1), else UTF-16LE code units. The
// model's strings are WTF-8 (see package jsvalue): lone surrogates are kept
// in their generalized three-byte UTF-8 form.

// appendStringChars appends the characters of s: Latin-1 bytes when latin1,
// else UTF-16LE code units.
func appendStringChars(b []byte, s string, latin1 bool) []byte {
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			if latin1 {
				b = append(b, s[i])
			} else {
				b = append(b, s[i], 0)
			}
			i++
			continue
		}
		r, n := jsvalue.DecodeUnit(s, i)
		i += n
		switch {
		case latin1:
			b = append(b, byte(r))
		case r < 0x10000:
			b = append(b, byte(r), byte(r>>8))
		default:
			hi, lo := utf16.EncodeRune(r)
			b = append(b, byte(hi), byte(hi>>8), byte(lo), byte(lo>>8))
		}
	}
	return b
}

// utf16String returns the WTF-8 form of UTF-16LE code units; a lone
// surrogate keeps its generalized three-byte form.
func utf16String(p []byte) string {
	out := make([]byte, 0, len(p)+len(p)/2)
	for i := 0; i+1 < len(p); i += 2 {
		u := rune(p[i]) | rune(p[i+1])<<8
		if utf16.IsSurrogate(u) && u < 0xDC00 && i+3 < len(p) {
			u2 := rune(p[i+2]) | rune(p[i+3])<<8
			if u2 >= 0xDC00 && u2 <= 0xDFFF {
				out = utf8.AppendRune(out, utf16.DecodeRune(u, u2))
				i += 2
				continue
			}
		}
		if utf16.IsSurrogate(u) {
			out = append(out, 0xED, byte(0x80|(u>>6)&0x3F), byte(0x80|u&0x3F))
			continue
		}
		out = utf8.AppendRune(out, u)
	}
	return string(out)
}
