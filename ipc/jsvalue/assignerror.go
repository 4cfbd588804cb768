package jsvalue

import (
	"fmt"
	"math/big"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// AssignError reports a model value that Assign cannot store into a Go value.
type AssignError struct {
	Path  string       // where in the value, like ".a[3].b"; empty at the top
	Value string       // what was there, like "number 1.5" or "string"
	Type  reflect.Type // the Go type it was to be stored into; nil if dst was not a usable pointer
	Msg   string       // why, when more than a type mismatch
}

func (e *AssignError) Error() string {
	var b strings.Builder
	b.WriteString("jsvalue: cannot assign ")
	b.WriteString(e.Value)
	if e.Type != nil {
		b.WriteString(" to Go value of type ")
		b.WriteString(e.Type.String())
	}
	if e.Path != "" {
		b.WriteString(" at ")
		b.WriteString(e.Path)
	}
	if e.Msg != "" {
		b.WriteString(": ")
		b.WriteString(e.Msg)
	}
	return b.String()
}

// path is the location being assigned, a linked list built only for errors.
type path struct {
	parent *path
	key    string
	index  int
	isKey  bool
}

func (p *path) field(key string) *path { return &path{parent: p, key: key, isKey: true} }
func (p *path) elem(i int) *path       { return &path{parent: p, index: i} }

func (p *path) String() string {
	if p == nil {
		return ""
	}
	var parts []string
	for q := p; q != nil; q = q.parent {
		if q.isKey {
			parts = append(parts, "."+q.key)
		} else {
			parts = append(parts, "["+strconv.Itoa(q.index)+"]")
		}
	}
	var b strings.Builder
	for i := len(parts) - 1; i >= 0; i-- {
		b.WriteString(parts[i])
	}
	return b.String()
}

// describe names a model value for an error message.
func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case Undefined:
		return "undefined"
	case bool:
		return "boolean " + strconv.FormatBool(x)
	case float64:
		return "number " + strconv.FormatFloat(x, 'g', -1, 64)
	case *big.Int:
		return "bigint " + x.String()
	case string:
		return "string"
	case []any, *Array, *SparseArray:
		return "array"
	case *Object:
		return "object"
	case time.Time, InvalidDate:
		return "Date"
	case []byte:
		return "Buffer"
	case TypedArray:
		return x.Kind.String()
	case *Error:
		return "Error"
	}
	return fmt.Sprintf("%T", v)
}

func assignErr(p *path, v any, t reflect.Type, msg string) *AssignError {
	return &AssignError{Path: p.String(), Value: describe(v), Type: t, Msg: msg}
}
