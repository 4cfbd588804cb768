package nodejson

// seqBounds gives, for a lead byte, the sequence length and the allowed range
// of its second byte (later bytes are always 0x80..0xBF). n is 0 for a byte
// that cannot start a sequence.
func seqBounds(c byte) (n int, lo, hi byte) {
	switch {
	case c >= 0xC2 && c <= 0xDF:
		return 2, 0x80, 0xBF
	case c == 0xE0:
		return 3, 0xA0, 0xBF
	case c == 0xED:
		return 3, 0x80, 0x9F
	case c >= 0xE1 && c <= 0xEF:
		return 3, 0x80, 0xBF
	case c == 0xF0:
		return 4, 0x90, 0xBF
	case c >= 0xF1 && c <= 0xF3:
		return 4, 0x80, 0xBF
	case c == 0xF4:
		return 4, 0x80, 0x8F
	}
	return 0, 0, 0
}

// validPrefix returns the length of the valid sequence at the start of s, or
// 0 if it is not one.
func validPrefix(s []byte) int {
	n, lo, hi := seqBounds(s[0])
	if n == 0 || len(s) < n || s[1] < lo || s[1] > hi {
		return 0
	}
	for j := 2; j < n; j++ {
		if s[j] < 0x80 || s[j] > 0xBF {
			return 0
		}
	}
	return n
}

// invalidRun returns how many bytes at the start of s (which is not a valid
// sequence) one U+FFFD replaces: the lead byte and the continuation bytes
// that still fitted it.
func invalidRun(s []byte) int {
	n, lo, hi := seqBounds(s[0])
	if n == 0 || len(s) < 2 || s[1] < lo || s[1] > hi {
		return 1
	}
	j := 2
	for j < n && j < len(s) && s[j] >= 0x80 && s[j] <= 0xBF {
		j++
	}
	return j
}
