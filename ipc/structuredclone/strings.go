package structuredclone

import "unicode/utf8"

// appendString appends s as a compact-encoding utf8 string. JavaScript writes
// a lone surrogate as U+FFFD, so the WTF-8 form of one (0xED 0xA0..0xBF ..)
// becomes U+FFFD here too, as does any other byte that is not valid UTF-8.
func appendString(b []byte, s string) []byte {
	if utf8.ValidString(s) {
		b = appendUint(b, uint64(len(s)))
		return append(b, s...)
	}
	fixed := toUTF8(s)
	b = appendUint(b, uint64(len(fixed)))
	return append(b, fixed...)
}

// toUTF8 replaces each WTF-8 surrogate sequence and each invalid byte of s
// with U+FFFD.
func toUTF8(s string) []byte {
	out := make([]byte, 0, len(s)+8)
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			out = append(out, c)
			i++
			continue
		}
		if c == 0xED && i+2 < len(s) && s[i+1] >= 0xA0 && s[i+1] <= 0xBF && s[i+2] >= 0x80 && s[i+2] <= 0xBF {
			out = utf8.AppendRune(out, utf8.RuneError)
			i += 3
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			out = utf8.AppendRune(out, utf8.RuneError)
		} else {
			out = append(out, s[i:i+n]...)
		}
		i += n
	}
	return out
}

func validUTF8(s string) bool { return utf8.ValidString(s) }
