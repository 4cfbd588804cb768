package jsc

import (
	"math"
	"math/big"
	"time"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

// value writes one model value.
func (s *encState) value(v any) error {
	switch x := v.(type) {
	case nil:
		s.b = append(s.b, tagNull)
	case jsvalue.Undefined:
		s.b = append(s.b, tagUndefined)
	case bool:
		if x {
			s.b = append(s.b, tagTrue)
		} else {
			s.b = append(s.b, tagFalse)
		}
	case float64:
		s.number(x)
	case string:
		if x == "" {
			s.b = append(s.b, tagEmptyString)
			return nil
		}
		s.b = append(s.b, tagString)
		return s.stringData(x)
	case *big.Int:
		if x == nil {
			s.b = append(s.b, tagNull)
			return nil
		}
		s.b = append(s.b, tagBigInt)
		return s.bigInt(x)
	case time.Time:
		ms, ok := timeValue(x)
		if !ok {
			return encodeErr(x, "beyond the ±8.64e15 ms a Date can hold")
		}
		s.b = append(s.b, tagDate)
		s.f64(ms)
		s.record(identKey{}, false)
	case jsvalue.InvalidDate:
		s.b = append(s.b, tagDate)
		s.f64(math.NaN())
		s.record(identKey{}, false)
	case jsvalue.RegExp:
		flags, ok := canonicalFlags(x.Flags)
		if !ok {
			return encodeErr(x, "invalid flags "+quote(x.Flags))
		}
		s.b = append(s.b, tagRegExp)
		s.record(identKey{}, false)
		if err := s.stringData(x.Source); err != nil {
			return err
		}
		return s.stringData(flags)
	case jsvalue.Boxed:
		return s.boxed(x)
	case *jsvalue.Error:
		if x == nil {
			s.b = append(s.b, tagNull)
			return nil
		}
		return s.errorInstance(x)
	case *jsvalue.Object:
		if x == nil {
			s.b = append(s.b, tagNull)
			return nil
		}
		return s.object(x)
	case []any:
		if x == nil {
			s.b = append(s.b, tagNull)
			return nil
		}
		k, ok := sliceKey(x, identList)
		return s.array(x, k, ok, x, nil)
	case *jsvalue.Array:
		if x == nil {
			s.b = append(s.b, tagNull)
			return nil
		}
		k, ok := pointerKey(x)
		return s.array(x, k, ok, x.Elements, x.Props)
	case *jsvalue.SparseArray:
		if x == nil {
			s.b = append(s.b, tagNull)
			return nil
		}
		return s.sparseArray(x)
	case *jsvalue.Map:
		if x == nil {
			s.b = append(s.b, tagNull)
			return nil
		}
		return s.mapValue(x)
	case *jsvalue.Set:
		if x == nil {
			s.b = append(s.b, tagNull)
			return nil
		}
		return s.setValue(x)
	case jsvalue.ArrayBuffer:
		s.arrayBuffer(x)
	case jsvalue.TypedArray:
		return s.view(x, x.Kind, x.Data)
	case []byte:
		return s.view(x, jsvalue.KindUint8, x)
	case jsvalue.Hole:
		return encodeErr(x, "a hole outside an array")
	case jsvalue.URL:
		return encodeErr(x, "JavaScriptCore's format has no URL (Bun refuses to clone one)")
	default:
		return notModelErr(v, "not a value of the jsvalue model")
	}
	return nil
}

// number writes a number as JavaScriptCore writes an int32 JSValue (0 and 1
// have tags of their own) or a double. An integral number in the int32 range
// other than -0 is written as an int32.
func (s *encState) number(f float64) {
	if isInt32(f) {
		switch i := int32(f); i {
		case 0:
			s.b = append(s.b, tagZero)
		case 1:
			s.b = append(s.b, tagOne)
		default:
			s.b = append(s.b, tagInt)
			s.u32(uint32(i))
		}
		return
	}
	s.double(f)
}

func (s *encState) double(f float64) {
	s.b = append(s.b, tagDouble)
	s.f64(f)
}

// isInt32 reports whether f is a number JavaScriptCore holds as an int32.
func isInt32(f float64) bool {
	return f >= math.MinInt32 && f <= math.MaxInt32 && f == math.Trunc(f) && !(f == 0 && math.Signbit(f))
}

// timeValue is the time value of a Date: milliseconds since the epoch,
// truncated toward zero as TimeClip does; ok is false beyond ±8.64e15.
func timeValue(t time.Time) (float64, bool) {
	ms := t.Unix()*1000 + int64(t.Nanosecond())/1e6
	if t.Unix() < 0 && t.Nanosecond()%1e6 != 0 {
		ms++
	}
	if ms > 8.64e15 || ms < -8.64e15 {
		return 0, false
	}
	return float64(ms), true
}

// bigInt writes a sign byte, the count of 64-bit words of the magnitude and
// the words, least significant first.
func (s *encState) bigInt(x *big.Int) error {
	mag := x.Bytes() // big-endian, no leading zeros
	words := (len(mag) + 7) / 8
	if words > bigIntMaxWords {
		return encodeErr(x, "BigInt too large")
	}
	if x.Sign() < 0 {
		s.b = append(s.b, 1)
	} else {
		s.b = append(s.b, 0)
	}
	s.u32(uint32(words))
	for w := range words {
		var word uint64
		for i := 0; i < 8; i++ {
			j := len(mag) - 1 - (8*w + i)
			if j >= 0 {
				word |= uint64(mag[j]) << (8 * i)
			}
		}
		s.u64(word)
	}
	return nil
}

// boxed writes a primitive wrapper object. It takes an object-pool slot, as
// in JavaScriptCore; the model gives it no identity, so each occurrence is
// written in full.
func (s *encState) boxed(x jsvalue.Boxed) error {
	switch v := x.Value.(type) {
	case bool:
		if v {
			s.b = append(s.b, tagTrueObject)
		} else {
			s.b = append(s.b, tagFalseObject)
		}
	case float64:
		s.b = append(s.b, tagNumberObject)
		s.f64(v)
	case string:
		if v == "" {
			s.b = append(s.b, tagEmptyStringObject)
			break
		}
		s.b = append(s.b, tagStringObject)
		if err := s.stringData(v); err != nil {
			return err
		}
	case *big.Int:
		if v == nil {
			return encodeErr(x, "Boxed nil *big.Int")
		}
		s.b = append(s.b, tagBigIntObject)
		if err := s.bigInt(v); err != nil {
			return err
		}
	default:
		return notModelErr(x, "Boxed holds a "+typeName(x.Value)+", not a bool, float64, string or *big.Int")
	}
	s.record(identKey{}, false)
	return nil
}

// errorInstance writes an Error: its type, message, line and column (0: the
// model has none), source URL (null) and stack; or a reference to it when
// the same *jsvalue.Error was written before (an Error takes an object-pool
// slot, as a Date and a RegExp do). The format has no place for
// a cause or an AggregateError's errors, and only the seven standard names:
// such errors are refused rather than sent changed.
func (s *encState) errorInstance(x *jsvalue.Error) error {
	name := x.Name
	if name == "" {
		name = jsvalue.ErrorNameError
	}
	kind := -1
	for i, n := range errorNames {
		if n == name {
			kind = i
		}
	}
	switch {
	case kind < 0:
		return encodeErr(x, "error name "+quote(name)+": JavaScriptCore carries only Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError and URIError")
	case x.HasCause:
		return encodeErr(x, "JavaScriptCore's format has no place for an Error's cause")
	case len(x.Errors) > 0:
		return encodeErr(x, "JavaScriptCore's format has no place for an AggregateError's errors")
	}
	k, ok := pointerKey(x)
	if s.seen(k, ok) {
		return nil
	}
	s.record(k, ok)
	s.b = append(s.b, tagErrorInstance, byte(kind))
	if err := s.nullableString(x.Message, x.Message != ""); err != nil {
		return err
	}
	s.u32(0) // line
	s.u32(0) // column
	if err := s.nullableString("", false); err != nil {
		return err
	}
	return s.nullableString(x.Stack, x.HasStack)
}

// nullableString writes a boolean "is null" (32 bits) and, when present,
// the string.
func (s *encState) nullableString(str string, present bool) error {
	if !present {
		s.u32(1)
		return nil
	}
	s.u32(0)
	return s.stringData(str)
}

func typeName(v any) string {
	if v == nil {
		return "nil"
	}
	return encodeErr(v, "").(*EncodeError).Type.String()
}
