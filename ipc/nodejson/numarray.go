package nodejson

// Byte classes for numberCount.
const (
	classOther = iota
	classNumber
	classSpace
	classComma
	classEnd
)

// numberClass classifies the bytes that can appear in an array of numbers:
// those of a number, white space, ',' and ']'.
var numberClass = func() (t [256]byte) {
	for _, c := range []byte("0123456789+-.eE") {
		t[c] = classNumber
	}
	for _, c := range []byte(" \t\n\r") {
		t[c] = classSpace
	}
	t[','] = classComma
	t[']'] = classEnd
	return t
}()

// numberCount looks ahead from p.i, the first element of an array, for the
// array's end. If only bytes that can make numbers, white space and commas
// come before the ']', with something other than white space before each
// comma and the ']', it returns the number of elements (one more than the
// commas); otherwise 0, and the general loop in array parses the array and
// reports any error. So the count is at most half the bytes scanned, plus
// one, and cannot make numberArray allocate more than a well-formed array
// of that length would.
//
// Each byte is looked at by at most one numberCount: a scan stops at the
// first byte that can open a nested value, and the nested array's own scan,
// if any, starts after it.
func (p *parser) numberCount() int {
	n := 1
	empty := true // no number byte since the '[' or the last ','
	for _, c := range p.s[p.i:] {
		switch numberClass[c] {
		case classNumber:
			empty = false
		case classSpace:
		case classComma:
			if empty {
				return 0
			}
			n++
			empty = true
		case classEnd:
			if empty {
				return 0
			}
			return n
		default:
			return 0
		}
	}
	return 0
}

// numberArray parses the elements of an array that numberCount found to
// hold n numbers straight into a slice of that size, without the element
// stack and its copy: a Buffer's JSON form is an array of a million
// numbers. It fails exactly as the general loop in array does on the same
// input.
func (p *parser) numberArray(n int) (any, error) {
	out := make([]any, 0, n)
	for {
		var v any
		var err error
		if p.i < len(p.s) && (p.s[p.i] == '-' || p.s[p.i] >= '0' && p.s[p.i] <= '9') {
			v, err = p.number()
		} else {
			v, err = p.value() // for its error
		}
		if err != nil {
			return nil, err
		}
		out = append(out, v)
		if end, err := p.afterElement(); err != nil {
			return nil, err
		} else if end {
			return out, nil
		}
	}
}
