package jsvalue

import (
	"strconv"
	"time"
)

// maxDateMs is the largest time value a JavaScript Date holds (±8.64e15 ms).
const maxDateMs = 8_640_000_000_000_000

// appendDate appends t as Date.prototype.toJSON writes it: the ISO string in
// UTC with millisecond precision (the time truncated to the millisecond
// below, as a Date holds it), years outside 0..9999 as ±YYYYYY; null when the
// time is beyond a Date's range.
func appendDate(b []byte, t time.Time) []byte {
	ms := t.UnixMilli()
	if ms > maxDateMs || ms < -maxDateMs {
		return append(b, "null"...)
	}
	u := time.UnixMilli(ms).UTC()
	b = append(b, '"')
	y := u.Year()
	switch {
	case y >= 0 && y <= 9999:
		b = pad(b, y, 4)
	case y < 0:
		b = append(b, '-')
		b = pad(b, -y, 6)
	default:
		b = append(b, '+')
		b = pad(b, y, 6)
	}
	b = append(b, '-')
	b = pad(b, int(u.Month()), 2)
	b = append(b, '-')
	b = pad(b, u.Day(), 2)
	b = append(b, 'T')
	b = pad(b, u.Hour(), 2)
	b = append(b, ':')
	b = pad(b, u.Minute(), 2)
	b = append(b, ':')
	b = pad(b, u.Second(), 2)
	b = append(b, '.')
	b = pad(b, u.Nanosecond()/1e6, 3)
	return append(b, 'Z', '"')
}

func pad(b []byte, n, width int) []byte {
	s := strconv.Itoa(n)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}
