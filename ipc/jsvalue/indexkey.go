package jsvalue

import "slices"

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

// EnumerationOrder returns ps in the order JavaScript enumerates an
// object's keys: array indices ascending first, then the other keys in the
// order held. It returns ps itself when it is in that order already.
func EnumerationOrder(ps []Property) []Property {
	named := false
	var last int64 = -1
	ordered := true
	for _, p := range ps {
		n, ok := IsIndexKey(p.Key)
		if !ok {
			named = true
			continue
		}
		if named || int64(n) <= last {
			ordered = false
			break
		}
		last = int64(n)
	}
	if ordered {
		return ps
	}
	out := make([]Property, 0, len(ps))
	for _, p := range ps {
		if _, ok := IsIndexKey(p.Key); ok {
			out = append(out, p)
		}
	}
	slices.SortStableFunc(out, func(a, b Property) int {
		x, _ := IsIndexKey(a.Key)
		y, _ := IsIndexKey(b.Key)
		return int(int64(x) - int64(y))
	})
	for _, p := range ps {
		if _, ok := IsIndexKey(p.Key); !ok {
			out = append(out, p)
		}
	}
	return out
}
