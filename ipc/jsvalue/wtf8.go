package jsvalue

import "unicode/utf8"

// DecodeUnit decodes the WTF-8 sequence at s[i:], as the model writes
// strings (see the package doc): it returns the code point, a lone surrogate
// for its generalized three-byte form (U+D800–U+DFFF encoded as UTF-8 would
// encode them), or U+FFFD for invalid bytes, and the sequence's size. The
// codecs use it to turn the model's strings into UTF-16 code units.
func DecodeUnit(s string, i int) (rune, int) {
	c := s[i]
	if c < utf8.RuneSelf {
		return rune(c), 1
	}
	r, n := utf8.DecodeRuneInString(s[i:])
	if r == utf8.RuneError && n == 1 && c == 0xED && i+2 < len(s) &&
		s[i+1] >= 0xA0 && s[i+1] <= 0xBF && s[i+2] >= 0x80 && s[i+2] <= 0xBF {
		return 0xD000 | rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F), 3
	}
	return r, n
}

// UTF16Shape returns the number of UTF-16 code units of the WTF-8 string s
// and whether all of them are below 256, so that s can be written one byte
// per character (Latin-1), as V8 and JavaScriptCore write such strings.
func UTF16Shape(s string) (units int, latin1 bool) {
	latin1 = true
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			units++
			i++
			continue
		}
		r, n := DecodeUnit(s, i)
		i += n
		switch {
		case r < 0x100:
			units++
		case r < 0x10000:
			units++
			latin1 = false
		default:
			units += 2
			latin1 = false
		}
	}
	return units, latin1
}
