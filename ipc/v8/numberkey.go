package v8

import (
	"math"
	"strconv"
)

// numberKey is JavaScript's ToString of a number used as a key.
func numberKey(f float64) string {
	if f >= 0 && f < 1e21 && f == math.Trunc(f) {
		return strconv.FormatUint(uint64(f), 10)
	}
	return jsNumberString(f)
}

// jsNumberString formats f as Number.prototype.toString() does.
func jsNumberString(f float64) string {
	switch {
	case f != f:
		return "NaN"
	case f == 0:
		return "0"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f < 0:
		return "-" + jsNumberString(-f)
	}
	// Shortest digits and exponent: f = 0.d1d2...dk × 10^n.
	e := strconv.FormatFloat(f, 'e', -1, 64)
	mant, exp, _ := cut(e, 'e')
	digits := mant[:1]
	if len(mant) > 2 {
		digits += mant[2:]
	}
	x, _ := strconv.Atoi(exp)
	n := x + 1
	k := len(digits)
	switch {
	case k <= n && n <= 21:
		return digits + zeros(n-k)
	case 0 < n && n <= 21:
		return digits[:n] + "." + digits[n:]
	case -6 < n && n <= 0:
		return "0." + zeros(-n) + digits
	}
	sign := "+"
	if n-1 < 0 {
		sign = "-"
	}
	ex := strconv.Itoa(abs(n - 1))
	if k == 1 {
		return digits + "e" + sign + ex
	}
	return digits[:1] + "." + digits[1:] + "e" + sign + ex
}

func cut(s string, c byte) (string, string, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

func zeros(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = '0'
	}
	return string(b)
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
