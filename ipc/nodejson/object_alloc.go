package nodejson

import "github.com/uvpipe/uvpipe/ipc/jsvalue"

// objectWith is an object and the array holding its properties, allocated
// together: a decoded small object then costs one allocation, not two.
type objectWith[A any] struct {
	o jsvalue.Object
	a A
}

// newObject returns an object holding a copy of props.
func newObject(props []jsvalue.Property) *jsvalue.Object {
	switch len(props) {
	case 1:
		return packed(props, func(a *[1]jsvalue.Property) []jsvalue.Property { return a[:] })
	case 2:
		return packed(props, func(a *[2]jsvalue.Property) []jsvalue.Property { return a[:] })
	case 3:
		return packed(props, func(a *[3]jsvalue.Property) []jsvalue.Property { return a[:] })
	case 4:
		return packed(props, func(a *[4]jsvalue.Property) []jsvalue.Property { return a[:] })
	}
	return &jsvalue.Object{Props: append([]jsvalue.Property(nil), props...)}
}

// packed allocates an object and its array A of len(props) properties at
// once; all turns A into its slice.
func packed[A any](props []jsvalue.Property, all func(*A) []jsvalue.Property) *jsvalue.Object {
	b := new(objectWith[A])
	b.o.Props = all(&b.a)
	copy(b.o.Props, props)
	return &b.o
}
