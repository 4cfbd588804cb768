package jsvalue

import "testing"

func TestDecodeUnit(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want rune
		size int
	}{
		{"a", 'a', 1},
		{"é", 'é', 2},
		{"😀", 0x1F600, 4},
		{"\xed\xa0\x80", 0xD800, 3}, // a lone high surrogate, as the model keeps it
		{"\xed\xbf\xbf", 0xDFFF, 3}, // a lone low surrogate
		{"\xff", 0xFFFD, 1},
		{"\xed\xa0", 0xFFFD, 1}, // cut short
	} {
		r, n := DecodeUnit(tc.s, 0)
		if r != tc.want || n != tc.size {
			t.Errorf("DecodeUnit(%q) = %U, %d; want %U, %d", tc.s, r, n, tc.want, tc.size)
		}
	}
}
