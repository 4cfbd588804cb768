package structuredclone

import (
	"math"
	"math/big"
	"reflect"
	"time"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

// encState is the state of one Marshal: the output, the ids given so far and
// version 1's table of property names.
type encState struct {
	b          []byte
	scratch    []byte
	v1         bool
	badVersion bool
	next       uint64 // last id given
	ids        map[identKey]uint64
	names      map[string]uint64
	dataViewID uint64 // version 0: the one id every DataView carries
	depth      int
	maxDepth   int
}

func (s *encState) tag(t tag) { s.b = append(s.b, wireTag(t, s.v1)) }

func (s *encState) uint(n uint64) { s.b = appendUint(s.b, n) }

// ref writes a REFERENCE to id.
func (s *encState) ref(id uint64) {
	s.tag(tagReference)
	s.uint(id)
}

// enter and leave bound the nesting depth.
func (s *encState) enter() error {
	s.depth++
	if s.depth > s.maxDepth {
		return &UnsupportedValueError{Reason: "nesting deeper than the depth limit", Err: ErrTooDeep}
	}
	return nil
}

func (s *encState) leave() { s.depth-- }

// value writes any value.
func (s *encState) value(v any) error {
	switch x := v.(type) {
	case nil:
		s.tag(tagNull)
	case jsvalue.Undefined, jsvalue.Hole:
		s.tag(tagUndefined)
	case bool:
		if x {
			s.tag(tagTrue)
		} else {
			s.tag(tagFalse)
		}
	case float64:
		s.number(x)
	case int:
		s.number(float64(x))
	case int64:
		s.number(float64(x))
	case int32:
		s.number(float64(x))
	case uint32:
		s.number(float64(x))
	case uint64:
		s.number(float64(x))
	case string:
		s.tag(tagString)
		s.b = appendString(s.b, x)
	case *big.Int:
		if x == nil {
			s.tag(tagNull)
			return nil
		}
		s.tag(tagBigInt)
		s.b = appendBigInt(s.b, x)
	case time.Time:
		return s.date(x, false)
	case jsvalue.InvalidDate:
		return s.date(time.Time{}, true)
	case jsvalue.RegExp:
		s.tag(tagRegExp)
		s.uint(s.fresh())
		s.b = appendString(s.b, x.Source)
		s.b = appendString(s.b, x.Flags)
	case jsvalue.URL:
		s.tag(tagURL)
		s.uint(s.fresh())
		s.b = appendString(s.b, x.Href)
	case *jsvalue.Error:
		if x == nil {
			s.tag(tagNull)
			return nil
		}
		return s.error(x)
	case jsvalue.ArrayBuffer:
		s.arrayBuffer(x, false, 0)
	case ResizableArrayBuffer:
		s.arrayBuffer(x.Data, true, x.MaxByteLength)
	case *ResizableArrayBuffer:
		if x == nil {
			s.tag(tagNull)
			return nil
		}
		s.arrayBuffer(x.Data, true, x.MaxByteLength)
	case []byte:
		s.buffer(x)
	case jsvalue.TypedArray:
		return s.typedArray(x)
	case *jsvalue.TypedArray:
		if x == nil {
			s.tag(tagNull)
			return nil
		}
		return s.typedArray(*x)
	case []any:
		return s.list(x)
	case *jsvalue.Object:
		if x == nil {
			s.tag(tagNull)
			return nil
		}
		return s.object(x)
	case *jsvalue.Array:
		if x == nil {
			s.tag(tagNull)
			return nil
		}
		return s.array(x)
	case *jsvalue.SparseArray:
		if x == nil {
			s.tag(tagNull)
			return nil
		}
		return s.sparseArray(x)
	case *jsvalue.Map:
		if x == nil {
			s.tag(tagNull)
			return nil
		}
		return s.mapValue(x)
	case *jsvalue.Set:
		if x == nil {
			s.tag(tagNull)
			return nil
		}
		return s.setValue(x)
	case jsvalue.Boxed, *jsvalue.Boxed:
		return &UnsupportedTypeError{Type: reflect.TypeOf(v), Reason: "bare-structured-clone has no boxed primitives"}
	default:
		m, err := jsvalue.FromGo(v)
		if err != nil {
			return err
		}
		if isConverted(m) {
			return s.value(m)
		}
		return &UnsupportedTypeError{Type: reflect.TypeOf(v)}
	}
	return nil
}

// isConverted reports whether FromGo's result is a type value handles, so
// the default case cannot recurse forever.
func isConverted(m any) bool {
	switch m.(type) {
	case nil, bool, float64, string, *big.Int, time.Time, []byte, []any, *jsvalue.Object,
		jsvalue.Undefined, jsvalue.InvalidDate, jsvalue.RegExp, jsvalue.URL, *jsvalue.Error,
		jsvalue.ArrayBuffer, jsvalue.TypedArray, *jsvalue.Array, *jsvalue.SparseArray,
		*jsvalue.Map, *jsvalue.Set:
		return true
	}
	return false
}

// canonicalNaN is the NaN JavaScript engines write.
const canonicalNaN = 0x7FF8000000000000

// number writes a number: version 1 writes an integer in int32 range (but
// not -0) as INTEGER, everything else is a float64 NUMBER.
func (s *encState) number(f float64) {
	if s.v1 && f >= math.MinInt32 && f <= math.MaxInt32 && f == math.Trunc(f) && !(f == 0 && math.Signbit(f)) {
		s.tag(tagInteger)
		s.b = appendInt(s.b, int64(f))
		return
	}
	s.tag(tagNumber)
	if f != f {
		s.b = appendUint64LE(s.b, canonicalNaN)
		return
	}
	s.b = appendFloat64(s.b, f)
}

// maxTime is the largest magnitude of a JavaScript time value in ms.
const maxTime = 8.64e15

// date writes a Date: version 0 as a zigzag integer of ms, version 1 as a
// float64 (NaN for an invalid date). Precision below a millisecond is dropped,
// as JavaScript has none.
func (s *encState) date(t time.Time, invalid bool) error {
	if invalid {
		if !s.v1 {
			return &UnsupportedValueError{Reason: "an invalid Date cannot be written in version 0 (bare-structured-clone 1.x throws too)"}
		}
		s.tag(tagDate)
		s.uint(s.fresh())
		s.b = appendUint64LE(s.b, canonicalNaN)
		return nil
	}
	ms := t.UnixMilli()
	if ms > maxTime || ms < -maxTime {
		return &UnsupportedValueError{Reason: "time " + t.String() + " is outside JavaScript's Date range"}
	}
	s.tag(tagDate)
	s.uint(s.fresh())
	if s.v1 {
		s.b = appendFloat64(s.b, float64(ms))
	} else {
		s.b = appendInt(s.b, ms)
	}
	return nil
}

// error writes an Error: flags (bit 0: has a cause), name code, message,
// stack (a string, or undefined), the cause, and for AggregateError its
// errors.
func (s *encState) error(e *jsvalue.Error) error {
	if done, err := s.begin(tagError, pointerKey(e), true); done {
		return err
	}
	defer s.leave()
	if e.HasCause {
		s.b = append(s.b, 1)
	} else {
		s.b = append(s.b, 0)
	}
	code := errorCode(e.Name)
	s.uint(code)
	s.b = appendString(s.b, e.Message)
	if e.HasStack {
		s.tag(tagString)
		s.b = appendString(s.b, e.Stack)
	} else {
		s.tag(tagUndefined)
	}
	if e.HasCause {
		if err := s.value(e.Cause); err != nil {
			return err
		}
	}
	if code == errorAggregate {
		return s.values(e.Errors)
	}
	return nil
}

// count writes an array count, refusing what compact-encoding's decoder would.
func (s *encState) count(n int) error {
	if n > maxCount {
		return &UnsupportedValueError{Reason: "more than 0x100000 entries (compact-encoding decoders refuse it)", Err: ErrTooBig}
	}
	s.uint(uint64(n))
	return nil
}
