package structuredclone

import (
	"slices"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

// jsOrder returns ps in the order JavaScript enumerates an object's keys:
// canonical array indices ascending first, then the other keys in the order
// held. It returns ps itself when it is in that order already, else a copy.
func jsOrder(ps []jsvalue.Property) []jsvalue.Property {
	if inJSOrder(ps) {
		return ps
	}
	type indexed struct {
		index uint32
		p     jsvalue.Property
	}
	var idx []indexed
	var named []jsvalue.Property
	for _, p := range ps {
		if n, ok := indexKey(p.Key); ok {
			idx = append(idx, indexed{n, p})
		} else {
			named = append(named, p)
		}
	}
	slices.SortStableFunc(idx, func(a, b indexed) int { return int(int64(a.index) - int64(b.index)) })
	out := make([]jsvalue.Property, 0, len(ps))
	for _, x := range idx {
		out = append(out, x.p)
	}
	return append(out, named...)
}

// inJSOrder reports whether every index key comes before every other key,
// ascending.
func inJSOrder(ps []jsvalue.Property) bool {
	named := false
	var last int64 = -1
	for i := range ps {
		n, ok := indexKey(ps[i].Key)
		if !ok {
			named = true
			continue
		}
		if named || int64(n) <= last {
			return false
		}
		last = int64(n)
	}
	return true
}

// indexKey is jsvalue.IsIndexKey with a quick rejection of keys that do not
// start with a digit.
func indexKey(k string) (uint32, bool) {
	if k == "" || k[0] < '0' || k[0] > '9' {
		return 0, false
	}
	return jsvalue.IsIndexKey(k)
}
