package jsvalue

// IsIndexKey reports whether key is a canonical array index ("0", "17", but
// not "01" or "4294967295"), the keys JavaScript enumerates first, ascending.
func IsIndexKey(key string) (uint32, bool) {
	if key == "" || len(key) > 10 || (len(key) > 1 && key[0] == '0') {
		return 0, false
	}
	var n uint64
	for i := 0; i < len(key); i++ {
		c := key[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	if n > 0xFFFFFFFE {
		return 0, false
	}
	return uint32(n), true
}
