package jsvalue

import (
	"math"
	"strconv"
)

// appendNumber appends f as JSON.stringify writes a number: NaN and
// ±Infinity as null, -0 as 0, everything else as ECMAScript's
// Number.prototype.toString (shortest round-trip digits, exponent form for
// magnitudes >= 1e21 and < 1e-6).
func appendNumber(b []byte, f float64) []byte {
	if f != f || math.IsInf(f, 0) {
		return append(b, "null"...)
	}
	if f == 0 {
		return append(b, '0')
	}
	if f == math.Trunc(f) && f >= -(1<<53) && f <= 1<<53 {
		return strconv.AppendInt(b, int64(f), 10)
	}
	var scratch [32]byte
	e := strconv.AppendFloat(scratch[:0], f, 'e', -1, 64) // -d.ddde±XX
	if e[0] == '-' {
		b = append(b, '-')
		e = e[1:]
	}
	// Split into the significant digits and the decimal exponent.
	var digits [20]byte
	k := 0
	i := 0
	for ; e[i] != 'e'; i++ {
		if e[i] != '.' {
			digits[k] = e[i]
			k++
		}
	}
	exp := 0
	neg := e[i+1] == '-'
	for _, c := range e[i+2:] {
		exp = exp*10 + int(c-'0')
	}
	if neg {
		exp = -exp
	}
	n := exp + 1 // the value is 0.digits × 10^n
	d := digits[:k]
	switch {
	case k <= n && n <= 21:
		b = append(b, d...)
		for j := k; j < n; j++ {
			b = append(b, '0')
		}
	case 0 < n && n <= 21:
		b = append(b, d[:n]...)
		b = append(b, '.')
		b = append(b, d[n:]...)
	case -6 < n && n <= 0:
		b = append(b, '0', '.')
		for j := n; j < 0; j++ {
			b = append(b, '0')
		}
		b = append(b, d...)
	default:
		b = append(b, d[0])
		if k > 1 {
			b = append(b, '.')
			b = append(b, d[1:]...)
		}
		b = append(b, 'e')
		if n-1 >= 0 {
			b = append(b, '+')
		}
		b = strconv.AppendInt(b, int64(n-1), 10)
	}
	return b
}

// NumberString returns f as Number.prototype.toString writes it, which is
// String(f) and a number used as a property key: NaN, Infinity and
// -Infinity by name, -0 as "0", otherwise as JSON.stringify writes it. The
// codecs use it for numeric keys.
func NumberString(f float64) string {
	switch {
	case f != f:
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	var scratch [32]byte
	return string(appendNumber(scratch[:0], f))
}
