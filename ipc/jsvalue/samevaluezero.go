package jsvalue

import (
	"math/big"
	"unsafe"
)

// ZeroKey is a comparable stand-in for a value under SameValueZero, the
// equality JavaScript's Map and Set use for their keys: numbers by value
// (NaN equal to itself, -0 equal to 0), strings and BigInts by value,
// objects by identity (a pointer, or a slice's array and length).
type ZeroKey struct {
	kind byte
	f    float64
	s    string
	p    unsafe.Pointer
	n    int
}

// SameValueZeroKey returns v's ZeroKey: two values are the same Map key or
// Set value when their keys are equal. ok is false for a value equal to no
// other, because the model gives it no identity (Boxed, Date, RegExp, an
// empty slice, a nil pointer).
func SameValueZeroKey(v any) (key ZeroKey, ok bool) {
	switch x := v.(type) {
	case nil:
		return ZeroKey{kind: 'n'}, true
	case Undefined:
		return ZeroKey{kind: 'u'}, true
	case bool:
		if x {
			return ZeroKey{kind: 't'}, true
		}
		return ZeroKey{kind: 'f'}, true
	case float64:
		switch {
		case x != x:
			return ZeroKey{kind: 'N'}, true
		case x == 0:
			return ZeroKey{kind: 'd'}, true
		}
		return ZeroKey{kind: 'd', f: x}, true
	case string:
		return ZeroKey{kind: 's', s: x}, true
	case *big.Int:
		if x == nil {
			return ZeroKey{kind: 'n'}, true
		}
		return ZeroKey{kind: 'b', s: x.String()}, true
	case *Object:
		return pointerZeroKey(x)
	case *Array:
		return pointerZeroKey(x)
	case *SparseArray:
		return pointerZeroKey(x)
	case *Map:
		return pointerZeroKey(x)
	case *Set:
		return pointerZeroKey(x)
	case *Error:
		return pointerZeroKey(x)
	case []any:
		return sliceZeroKey(x, 'l')
	case ArrayBuffer:
		return sliceZeroKey([]byte(x), 'a')
	case TypedArray:
		return sliceZeroKey(x.Data, 'v'+byte(x.Kind))
	case []byte:
		return sliceZeroKey(x, 'v'+byte(KindUint8))
	}
	return ZeroKey{}, false
}

func pointerZeroKey[T any](p *T) (ZeroKey, bool) {
	return ZeroKey{kind: 'o', p: unsafe.Pointer(p)}, p != nil
}

func sliceZeroKey[T any](v []T, kind byte) (ZeroKey, bool) {
	return ZeroKey{kind: kind, p: unsafe.Pointer(unsafe.SliceData(v)), n: len(v)}, len(v) > 0
}
