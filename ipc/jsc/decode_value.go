package jsc

import (
	"math/big"
	"strings"
	"time"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

// value reads one tagged value.
func (s *decState) value() (any, error) {
	at := s.off
	t, err := s.byte1()
	if err != nil {
		return nil, err
	}
	switch t {
	case tagUndefined:
		return jsvalue.Undefined{}, nil
	case tagNull:
		return nil, nil
	case tagZero:
		return 0.0, nil
	case tagOne:
		return 1.0, nil
	case tagFalse:
		return false, nil
	case tagTrue:
		return true, nil
	case tagInt:
		v, err := s.u32()
		if err != nil {
			return nil, err
		}
		return intValue(int32(v)), nil
	case tagDouble:
		return s.f64()
	case tagDate:
		ms, err := s.f64()
		if err != nil {
			return nil, err
		}
		return s.register(dateValue(ms)), nil
	case tagEmptyString:
		return "", nil
	case tagString:
		return s.strValue()
	case tagRegExp:
		return s.regExp()
	case tagBigInt:
		return s.bigInt()
	case tagErrorInstance:
		return s.errorInstance()
	case tagObjectReference:
		i, err := s.poolIndex(len(s.objs))
		if err != nil {
			return nil, err
		}
		return s.reference(i)
	case tagTrueObject, tagFalseObject:
		return s.register(jsvalue.Boxed{Value: t == tagTrueObject}), nil
	case tagEmptyStringObject:
		return s.register(jsvalue.Boxed{Value: ""}), nil
	case tagStringObject:
		str, err := s.str()
		if err != nil {
			return nil, err
		}
		return s.register(jsvalue.Boxed{Value: str}), nil
	case tagNumberObject:
		f, err := s.f64()
		if err != nil {
			return nil, err
		}
		return s.register(jsvalue.Boxed{Value: f}), nil
	case tagBigIntObject:
		n, err := s.bigInt()
		if err != nil {
			return nil, err
		}
		return s.register(jsvalue.Boxed{Value: n}), nil
	case tagArrayBuffer:
		return s.arrayBuffer()
	case tagArrayBufferView:
		return s.view()
	case tagObject:
		return s.object()
	case tagArray:
		return s.array()
	case tagMap:
		return s.mapValue()
	case tagSet:
		return s.setValue()
	case tagNonMapProperties, tagNonSetProperties:
		return nil, s.failAt(at, ErrMalformed, "end of a Map's or Set's entries outside one")
	}
	if name, ok := tagNames[t]; ok {
		if notPortable[t] {
			return nil, s.failAt(at, ErrNotPortable, name)
		}
		return nil, s.failAt(at, ErrUnsupported, name)
	}
	return nil, s.failAt(at, ErrUnknownTag, "tag "+utoa(uint64(t)))
}

// register gives v the next slot of the object pool and returns it.
func (s *decState) register(v any) any {
	s.objs = append(s.objs, v)
	return v
}

// reference returns the object in slot i. An array still being read is
// returned as the pointer it will be decoded into.
func (s *decState) reference(i int) (any, error) {
	v := s.objs[i]
	if oa, ok := v.(*openArray); ok {
		return oa.placeholder(), nil
	}
	return v, nil
}

// smallInts holds the interface values of the numbers 0 to 1023, so that
// decoding one of them, the commonest numbers in messages, allocates
// nothing.
var smallInts = func() (t [1024]any) {
	for i := range t {
		t[i] = float64(i)
	}
	return t
}()

// intValue returns the number v as an interface value.
func intValue(v int32) any {
	if uint32(v) < uint32(len(smallInts)) {
		return smallInts[v]
	}
	return float64(v)
}

// dateValue turns a time value into time.Time (UTC), or InvalidDate for NaN
// and values beyond ±8.64e15 ms, which a Date cannot hold.
func dateValue(ms float64) any {
	if ms != ms || ms > 8.64e15 || ms < -8.64e15 {
		return jsvalue.InvalidDate{}
	}
	return time.UnixMilli(int64(ms)).UTC()
}

// regExp reads the source and the flags, two StringData. Like a Date and
// an Error, a RegExp takes an object-pool slot.
func (s *decState) regExp() (any, error) {
	src, err := s.str()
	if err != nil {
		return nil, err
	}
	at := s.off
	flags, err := s.str()
	if err != nil {
		return nil, err
	}
	canon, ok := canonicalFlags(flags)
	if !ok {
		return nil, s.failAt(at, ErrMalformed, "RegExp flags "+quote(flags))
	}
	return s.register(jsvalue.RegExp{Source: src, Flags: canon}), nil
}

// regExpFlagOrder is the order in which JavaScriptCore writes RegExp flags.
const regExpFlagOrder = "dgimsuvy"

// canonicalFlags checks flags as a RegExp literal does (known letters, none
// twice, not both u and v) and returns them in JavaScriptCore's order.
func canonicalFlags(flags string) (string, bool) {
	var seen [len(regExpFlagOrder)]bool
	for i := 0; i < len(flags); i++ {
		j := strings.IndexByte(regExpFlagOrder, flags[i])
		if j < 0 || seen[j] {
			return "", false
		}
		seen[j] = true
	}
	if seen[strings.IndexByte(regExpFlagOrder, 'u')] && seen[strings.IndexByte(regExpFlagOrder, 'v')] {
		return "", false
	}
	if len(flags) <= 1 {
		return flags, true
	}
	out := make([]byte, 0, len(flags))
	for j := range regExpFlagOrder {
		if seen[j] {
			out = append(out, regExpFlagOrder[j])
		}
	}
	return string(out), true
}

func quote(s string) string {
	if len(s) > 40 {
		s = s[:40] + "..."
	}
	return "\"" + s + "\""
}

// bigInt reads a sign byte (non-zero: negative), a count of 64-bit words and
// the words, least significant first.
func (s *decState) bigInt() (*big.Int, error) {
	sign, err := s.byte1()
	if err != nil {
		return nil, err
	}
	n, err := s.u32()
	if err != nil {
		return nil, err
	}
	if uint64(n) > bigIntMaxWords {
		return nil, s.fail(ErrLength, "BigInt of "+utoa(uint64(n))+" words")
	}
	p, err := s.take(8 * uint64(n))
	if err != nil {
		return nil, err
	}
	be := make([]byte, len(p))
	for i, c := range p {
		be[len(p)-1-i] = c
	}
	x := new(big.Int).SetBytes(be)
	if sign != 0 {
		x.Neg(x)
	}
	return x, nil
}

// errorInstance reads an Error: its type, message, line, column, source URL
// and stack. The line, column and source URL are positions the stack
// repeats; the model has no place for them.
func (s *decState) errorInstance() (any, error) {
	at := s.off
	kind, err := s.byte1()
	if err != nil {
		return nil, err
	}
	if int(kind) >= len(errorNames) {
		return nil, s.failAt(at, ErrMalformed, "error type "+utoa(uint64(kind)))
	}
	msg, _, err := s.nullableString()
	if err != nil {
		return nil, err
	}
	if _, err := s.u32(); err != nil { // line
		return nil, err
	}
	if _, err := s.u32(); err != nil { // column
		return nil, err
	}
	if _, _, err := s.nullableString(); err != nil { // source URL
		return nil, err
	}
	stack, hasStack, err := s.nullableString()
	if err != nil {
		return nil, err
	}
	return s.register(&jsvalue.Error{Name: errorNames[kind], Message: msg, Stack: stack, HasStack: hasStack}), nil
}
