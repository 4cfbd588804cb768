package structuredclone

import (
	"bytes"
	"math"
	"math/big"
	"reflect"
	"time"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

// sameModel reports whether two model values are the same JavaScript value:
// NaN equals NaN, -0 differs from 0, times compare as instants, and cycles
// are followed once.
func sameModel(a, b any) bool {
	return (&modelEq{seen: map[[2]any]bool{}}).eq(a, b)
}

type modelEq struct{ seen map[[2]any]bool }

// visit reports whether the pair of objects was compared already.
func (m *modelEq) visit(a, b any) bool {
	k := [2]any{a, b}
	if m.seen[k] {
		return true
	}
	m.seen[k] = true
	return false
}

func (m *modelEq) eq(a, b any) bool {
	switch x := a.(type) {
	case float64:
		y, ok := b.(float64)
		if !ok {
			return false
		}
		if x != x {
			return y != y
		}
		return x == y && math.Signbit(x) == math.Signbit(y)
	case *big.Int:
		y, ok := b.(*big.Int)
		return ok && x.Cmp(y) == 0
	case time.Time:
		y, ok := b.(time.Time)
		return ok && x.Equal(y)
	case []byte:
		y, ok := b.([]byte)
		return ok && bytes.Equal(x, y)
	case jsvalue.ArrayBuffer:
		y, ok := b.(jsvalue.ArrayBuffer)
		return ok && bytes.Equal(x, y)
	case jsvalue.TypedArray:
		y, ok := b.(jsvalue.TypedArray)
		return ok && x.Kind == y.Kind && bytes.Equal(x.Data, y.Data)
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		if len(x) > 0 && m.visit(&x[0], &y[0]) {
			return true
		}
		return m.list(x, y)
	case *jsvalue.Object:
		y, ok := b.(*jsvalue.Object)
		if !ok {
			return false
		}
		return m.visit(x, y) || m.props(x.Props, y.Props)
	case *jsvalue.Array:
		y, ok := b.(*jsvalue.Array)
		if !ok {
			return false
		}
		return m.visit(x, y) || (m.list(x.Elements, y.Elements) && m.props(x.Props, y.Props))
	case *jsvalue.SparseArray:
		y, ok := b.(*jsvalue.SparseArray)
		if !ok || x.Length != y.Length || len(x.Elements) != len(y.Elements) {
			return false
		}
		if m.visit(x, y) {
			return true
		}
		for i := range x.Elements {
			if x.Elements[i].Index != y.Elements[i].Index || !m.eq(x.Elements[i].Value, y.Elements[i].Value) {
				return false
			}
		}
		return m.props(x.Props, y.Props)
	case *jsvalue.Map:
		y, ok := b.(*jsvalue.Map)
		if !ok || len(x.Entries) != len(y.Entries) {
			return false
		}
		if m.visit(x, y) {
			return true
		}
		for i := range x.Entries {
			if !m.eq(x.Entries[i].Key, y.Entries[i].Key) || !m.eq(x.Entries[i].Value, y.Entries[i].Value) {
				return false
			}
		}
		return true
	case *jsvalue.Set:
		y, ok := b.(*jsvalue.Set)
		return ok && (m.visit(x, y) || m.list(x.Values, y.Values))
	case *jsvalue.Error:
		y, ok := b.(*jsvalue.Error)
		if !ok {
			return false
		}
		if m.visit(x, y) {
			return true
		}
		return x.Name == y.Name && x.Message == y.Message && x.Stack == y.Stack && x.HasStack == y.HasStack &&
			x.HasCause == y.HasCause && m.eq(x.Cause, y.Cause) && m.list(x.Errors, y.Errors)
	}
	return reflect.DeepEqual(a, b)
}

func (m *modelEq) list(x, y []any) bool {
	if len(x) != len(y) {
		return false
	}
	for i := range x {
		if !m.eq(x[i], y[i]) {
			return false
		}
	}
	return true
}

func (m *modelEq) props(x, y []jsvalue.Property) bool {
	if len(x) != len(y) {
		return false
	}
	for i := range x {
		if x[i].Key != y[i].Key || !m.eq(x[i].Value, y[i].Value) {
			return false
		}
	}
	return true
}
