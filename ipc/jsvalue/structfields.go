package jsvalue

import (
	"reflect"
	"sort"
	"strings"
	"sync"
)

// field is one property of a struct as FromGo writes it and Assign reads it:
// its JavaScript name, the index path to reach it (through embedded structs)
// and its tag options.
type field struct {
	name      string
	index     []int
	typ       reflect.Type
	tagged    bool
	omitEmpty bool
	omitZero  bool
}

// structInfo is the resolved field list of a struct type, in field order.
type structInfo struct {
	fields []field
	byName map[string]int // exact name -> position in fields
}

var structCache sync.Map // reflect.Type -> *structInfo

// cachedFields returns the fields of struct type t, resolving them once.
func cachedFields(t reflect.Type) *structInfo {
	if si, ok := structCache.Load(t); ok {
		return si.(*structInfo)
	}
	fs := typeFields(t)
	si := &structInfo{fields: fs, byName: make(map[string]int, len(fs))}
	for i, f := range fs {
		si.byName[f.name] = i
	}
	v, _ := structCache.LoadOrStore(t, si)
	return v.(*structInfo)
}

// lookup finds the field for key: the exact name first, then a
// case-insensitive match, as encoding/json does.
func (si *structInfo) lookup(key string) *field {
	if i, ok := si.byName[key]; ok {
		return &si.fields[i]
	}
	for i := range si.fields {
		if strings.EqualFold(si.fields[i].name, key) {
			return &si.fields[i]
		}
	}
	return nil
}

// parseTag reads the `js` tag, falling back to the `json` tag. skip reports
// a "-" tag.
func parseTag(sf reflect.StructField) (name string, omitEmpty, omitZero, tagged, skip bool) {
	tag, ok := sf.Tag.Lookup("js")
	if !ok {
		tag, ok = sf.Tag.Lookup("json")
	}
	if !ok {
		return "", false, false, false, false
	}
	if tag == "-" {
		return "", false, false, false, true
	}
	name, opts, _ := strings.Cut(tag, ",")
	for opts != "" {
		var o string
		o, opts, _ = strings.Cut(opts, ",")
		switch o {
		case "omitempty":
			omitEmpty = true
		case "omitzero":
			omitZero = true
		}
	}
	return name, omitEmpty, omitZero, name != "", false
}

// typeFields lists the fields of struct type t with encoding/json's rules:
// exported fields, embedded structs promoted, and for each name the
// shallowest field winning (a tagged one breaking a tie at the same depth,
// otherwise a tie hides the name). The result is in field order.
func typeFields(t reflect.Type) []field {
	type pending struct {
		typ   reflect.Type
		index []int
	}
	current := []pending{}
	next := []pending{{typ: t}}
	visited := map[reflect.Type]bool{}
	var all []field
	for len(next) > 0 {
		current, next = next, current[:0]
		count := map[reflect.Type]int{}
		for _, p := range current {
			count[p.typ]++
		}
		for _, p := range current {
			if visited[p.typ] {
				continue
			}
			visited[p.typ] = true
			for i := 0; i < p.typ.NumField(); i++ {
				sf := p.typ.Field(i)
				ft := sf.Type
				if sf.Anonymous {
					if ft.Kind() == reflect.Pointer {
						ft = ft.Elem()
					}
					if !sf.IsExported() && ft.Kind() != reflect.Struct {
						continue
					}
				} else if !sf.IsExported() {
					continue
				}
				name, omitEmpty, omitZero, tagged, skip := parseTag(sf)
				if skip {
					continue
				}
				index := make([]int, len(p.index)+1)
				copy(index, p.index)
				index[len(p.index)] = i
				if sf.Anonymous && !tagged && ft.Kind() == reflect.Struct && !isSpecialStruct(ft) {
					if count[p.typ] == 1 {
						next = append(next, pending{typ: ft, index: index})
					}
					continue
				}
				if name == "" {
					name = sf.Name
				}
				all = append(all, field{name: name, index: index, typ: sf.Type, tagged: tagged,
					omitEmpty: omitEmpty, omitZero: omitZero})
			}
		}
	}
	// Keep, for each name, the dominant field.
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].name != all[j].name {
			return all[i].name < all[j].name
		}
		if len(all[i].index) != len(all[j].index) {
			return len(all[i].index) < len(all[j].index)
		}
		return all[i].tagged && !all[j].tagged
	})
	out := all[:0]
	for i := 0; i < len(all); {
		j := i + 1
		for j < len(all) && all[j].name == all[i].name {
			j++
		}
		group := all[i:j]
		if len(group) == 1 || len(group[1].index) > len(group[0].index) || group[0].tagged && !group[1].tagged {
			out = append(out, group[0])
		}
		i = j
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].index, out[j].index
		for k := 0; k < len(a) && k < len(b); k++ {
			if a[k] != b[k] {
				return a[k] < b[k]
			}
		}
		return len(a) < len(b)
	})
	return out
}

// isSpecialStruct reports struct types that convert as a value of their own
// (time.Time, big.Int) rather than as an object of fields.
func isSpecialStruct(t reflect.Type) bool {
	return t == timeType || t == bigIntType
}
