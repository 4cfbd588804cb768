package jsc

import (
	"math"
)

// Map keys and Set values are compared as JavaScript's Map and Set compare
// them (SameValueZero): jsvalue.SameValueZeroKey.

// normalizeZero turns -0 into 0, as a Map key or Set value holds it.
func normalizeZero(v any) any {
	if f, ok := v.(float64); ok && f == 0 && math.Signbit(f) {
		return 0.0
	}
	return v
}
