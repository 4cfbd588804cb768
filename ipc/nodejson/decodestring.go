package nodejson

import "unicode/utf8"

// str parses a string literal at p.i (the opening quote).
func (p *parser) str() (string, error) {
	p.i++
	start := p.i
	for j := start; j < len(p.s); j++ {
		c := p.s[j]
		if c == '"' {
			p.i = j + 1
			return p.intern(p.s[start:j]), nil
		}
		if c == '\\' || c < 0x20 || c >= utf8.RuneSelf {
			p.i = j
			return p.slowStr(start)
		}
	}
	p.i = len(p.s)
	return "", p.fail("Unterminated string in JSON")
}

// slowStr finishes a string that has escapes, control characters or
// non-ASCII bytes; p.s[start:p.i] is plain ASCII already scanned.
func (p *parser) slowStr(start int) (string, error) {
	b := append(p.scratch[:0], p.s[start:p.i]...)
	defer func() { p.scratch = b[:0] }()
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			return p.intern(b), nil
		case c == '\\':
			var err error
			if b, err = p.escape(b); err != nil {
				return "", err
			}
		case c < 0x20:
			return "", p.fail("Bad control character in string literal")
		case c < utf8.RuneSelf:
			b = append(b, c)
			p.i++
		default:
			if n := validPrefix(p.s[p.i:]); n > 0 {
				b = append(b, p.s[p.i:p.i+n]...)
				p.i += n
			} else {
				b = append(b, "\uFFFD"...)
				p.i += invalidRun(p.s[p.i:])
			}
		}
	}
	return "", p.fail("Unterminated string in JSON")
}

// escape decodes the escape sequence at p.i (the backslash).
func (p *parser) escape(b []byte) ([]byte, error) {
	p.i++
	if p.i >= len(p.s) {
		return b, p.fail("Unterminated string in JSON")
	}
	c := p.s[p.i]
	p.i++
	switch c {
	case '"', '\\', '/':
		return append(b, c), nil
	case 'b':
		return append(b, '\b'), nil
	case 'f':
		return append(b, '\f'), nil
	case 'n':
		return append(b, '\n'), nil
	case 'r':
		return append(b, '\r'), nil
	case 't':
		return append(b, '\t'), nil
	case 'u':
		u, ok := p.hex4()
		if !ok {
			return b, p.fail("Bad Unicode escape")
		}
		if u >= 0xD800 && u < 0xDC00 && p.i+6 <= len(p.s) && p.s[p.i] == '\\' && p.s[p.i+1] == 'u' {
			save := p.i
			p.i += 2
			if lo, ok := p.hex4(); ok && lo >= 0xDC00 && lo < 0xE000 {
				return utf8.AppendRune(b, 0x10000+(u-0xD800)<<10+(lo-0xDC00)), nil
			}
			p.i = save
		}
		if u >= 0xD800 && u < 0xE000 {
			// A lone surrogate, kept in its WTF-8 form.
			return append(b, 0xED, byte(0x80|(u>>6)&0x3F), byte(0x80|u&0x3F)), nil
		}
		return utf8.AppendRune(b, u), nil
	}
	p.i--
	return b, p.fail("Bad escaped character")
}

func (p *parser) hex4() (rune, bool) {
	if p.i+4 > len(p.s) {
		return 0, false
	}
	var r rune
	for _, c := range p.s[p.i : p.i+4] {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	p.i += 4
	return r, true
}

// intern returns b as a string, reusing a string made before for the same
// short bytes (keys repeat, in a message and from message to message).
func (p *parser) intern(b []byte) string {
	if len(b) == 0 || len(b) > 24 {
		return string(b)
	}
	slot := &p.strs[fnv1a(b)&uint32(len(p.strs)-1)]
	if *slot != string(b) {
		*slot = string(b)
	}
	return *slot
}

// strValue parses a string literal that is a value: a short one comes
// already stored in an interface (boxed) when it was met recently, as keys
// and small values repeat from message to message, which saves the
// allocation of storing it.
func (p *parser) strValue() (any, error) {
	s, err := p.str()
	if err != nil || len(s) == 0 || len(s) > 24 {
		return s, err
	}
	slot := &p.boxed[fnv1a(s)&uint32(len(p.boxed)-1)]
	if v, ok := (*slot).(string); !ok || v != s {
		*slot = s
	}
	return *slot, nil
}

// fnv1a is the 32-bit FNV-1a hash of b.
func fnv1a[T string | []byte](b T) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(b); i++ {
		h = (h ^ uint32(b[i])) * 16777619
	}
	return h
}
