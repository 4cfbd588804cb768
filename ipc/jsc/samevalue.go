package jsc

import (
	"math"
	"math/big"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

// Map keys and Set values are compared as JavaScript's Map and Set compare
// them (SameValueZero): numbers by value with NaN equal to itself and -0
// equal to 0, BigInts and strings by value, objects by identity.

// zeroKey is a comparable stand-in for a value under SameValueZero; ok is
// false for a value equal to no other (an object the model gives no
// identity: Boxed, Date, RegExp).
type zeroKey struct {
	kind byte
	f    float64
	s    string
	id   identKey
}

func sameValueZeroKey(v any) (zeroKey, bool) {
	switch x := v.(type) {
	case nil:
		return zeroKey{kind: 'n'}, true
	case jsvalue.Undefined:
		return zeroKey{kind: 'u'}, true
	case bool:
		if x {
			return zeroKey{kind: 't'}, true
		}
		return zeroKey{kind: 'f'}, true
	case float64:
		switch {
		case x != x:
			return zeroKey{kind: 'N'}, true
		case x == 0:
			return zeroKey{kind: 'd'}, true
		}
		return zeroKey{kind: 'd', f: x}, true
	case string:
		return zeroKey{kind: 's', s: x}, true
	case *big.Int:
		if x == nil {
			return zeroKey{kind: 'n'}, true
		}
		return zeroKey{kind: 'b', s: x.String()}, true
	case *jsvalue.Object:
		k, ok := pointerKey(x)
		return zeroKey{kind: 'o', id: k}, ok && x != nil
	case *jsvalue.Array:
		k, ok := pointerKey(x)
		return zeroKey{kind: 'o', id: k}, ok && x != nil
	case *jsvalue.SparseArray:
		k, ok := pointerKey(x)
		return zeroKey{kind: 'o', id: k}, ok && x != nil
	case *jsvalue.Map:
		k, ok := pointerKey(x)
		return zeroKey{kind: 'o', id: k}, ok && x != nil
	case *jsvalue.Set:
		k, ok := pointerKey(x)
		return zeroKey{kind: 'o', id: k}, ok && x != nil
	case *jsvalue.Error:
		k, ok := pointerKey(x)
		return zeroKey{kind: 'o', id: k}, ok && x != nil
	case []any:
		k, ok := sliceKey(x, identList)
		return zeroKey{kind: 'o', id: k}, ok
	case jsvalue.ArrayBuffer:
		k, ok := sliceKey([]byte(x), identBuffer)
		return zeroKey{kind: 'o', id: k}, ok
	case jsvalue.TypedArray:
		k, ok := sliceKey(x.Data, identView+identKind(x.Kind))
		return zeroKey{kind: 'o', id: k}, ok
	case []byte:
		k, ok := sliceKey(x, identView+identKind(jsvalue.KindUint8))
		return zeroKey{kind: 'o', id: k}, ok
	}
	return zeroKey{}, false
}

// normalizeZero turns -0 into 0, as a Map key or Set value holds it.
func normalizeZero(v any) any {
	if f, ok := v.(float64); ok && f == 0 && math.Signbit(f) {
		return 0.0
	}
	return v
}
