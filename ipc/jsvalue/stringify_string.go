package jsvalue

import "unicode/utf8"

const hexDigits = "0123456789abcdef"

// jsonPlain marks the ASCII bytes JSON.stringify copies as they are.
var jsonPlain = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = true
	}
	t['"'] = false
	t['\\'] = false
	return t
}()

// appendString appends s quoted as JSON.stringify quotes a string. s is WTF-8
// (see package jsvalue): a lone surrogate is written as a \udXXX escape, a
// high and a low surrogate written separately as one character; other invalid
// UTF-8 becomes U+FFFD, one per byte. U+2028, U+2029 and DEL stay raw; no
// HTML escaping.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if jsonPlain[c] {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r != utf8.RuneError || size != 1 {
			i += size
			continue
		}
		b = append(b, s[start:i]...)
		if u, ok := surrogateAt(s, i); ok {
			if u < 0xDC00 {
				if lo, ok := surrogateAt(s, i+3); ok && lo >= 0xDC00 {
					b = utf8.AppendRune(b, 0x10000+(rune(u)-0xD800)<<10+(rune(lo)-0xDC00))
					i += 6
					start = i
					continue
				}
			}
			b = append(b, '\\', 'u', 'd', hexDigits[u>>8&0xF], hexDigits[u>>4&0xF], hexDigits[u&0xF])
			i += 3
		} else {
			b = append(b, "\uFFFD"...)
			i++
		}
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// surrogateAt decodes the three-byte WTF-8 form of a surrogate code unit
// (0xED 0xA0..0xBF 0x80..0xBF) at s[i:].
func surrogateAt(s string, i int) (uint16, bool) {
	if i+2 >= len(s) || s[i] != 0xED || s[i+1] < 0xA0 || s[i+1] > 0xBF || s[i+2] < 0x80 || s[i+2] > 0xBF {
		return 0, false
	}
	return 0xD000 | uint16(s[i+1]&0x3F)<<6 | uint16(s[i+2]&0x3F), true
}
