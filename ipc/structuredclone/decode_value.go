package structuredclone

import (
	"math"
	"time"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

// enter and leave bound the nesting depth.
func (s *decState) enter() error {
	s.depth++
	if s.depth > s.maxDepth {
		return s.fail(ErrTooDeep, "")
	}
	return nil
}

func (s *decState) leave() { s.depth-- }

// value reads one value.
func (s *decState) value() (any, error) {
	at := s.off
	n, err := s.readUint()
	if err != nil {
		return nil, err
	}
	t, ok := fromWire(n, s.v1)
	if !ok {
		return nil, &SyntaxError{Offset: at, Err: ErrUnknownTag, Detail: "tag " + utoa(n)}
	}
	switch t {
	case tagUndefined:
		return jsvalue.Undefined{}, nil
	case tagNull:
		return nil, nil
	case tagTrue:
		return true, nil
	case tagFalse:
		return false, nil
	case tagNumber:
		return s.readFloat64()
	case tagInteger:
		i, err := s.readInt()
		return float64(i), err
	case tagBigInt:
		return s.readBigInt()
	case tagString:
		return s.readString()
	case tagExternal:
		return nil, &NotPortableError{Kind: "external pointer (EXTERNAL)", Offset: at}
	case tagTransfer:
		return nil, &SyntaxError{Offset: at, Err: ErrInvalidValue, Detail: "TRANSFER inside a value"}
	}
	id, err := s.readUint()
	if err != nil {
		return nil, err
	}
	switch t {
	case tagDate:
		return s.date(id, at)
	case tagRegExp:
		src, err := s.readString()
		if err != nil {
			return nil, err
		}
		flags, err := s.readString()
		if err != nil {
			return nil, err
		}
		v := jsvalue.RegExp{Source: src, Flags: flags}
		return v, s.register(id, v, at)
	case tagError:
		return s.error(id, at)
	case tagArrayBuffer, tagResizableArrayBuffer:
		return s.arrayBuffer(t, id, at)
	case tagTypedArray:
		return s.typedArray(id, at)
	case tagDataView, tagBuffer:
		return s.byteView(t, id, at)
	case tagMap:
		return s.mapValue(id, at)
	case tagSet:
		return s.setValue(id, at)
	case tagArray:
		return s.array(id, at)
	case tagObject:
		return s.object(id, at)
	case tagReference:
		v, ok := s.lookup(id)
		if !ok {
			return nil, &SyntaxError{Offset: at, Err: ErrBadReference, Detail: "id " + utoa(id) + " not found"}
		}
		return v, nil
	case tagURL:
		href, err := s.readString()
		if err != nil {
			return nil, err
		}
		v := jsvalue.URL{Href: href}
		return v, s.register(id, v, at)
	case tagSharedArrayBuffer:
		return nil, &NotPortableError{Kind: "SharedArrayBuffer", Offset: at}
	case tagGrowableSharedArrayBuffer:
		return nil, &NotPortableError{Kind: "growable SharedArrayBuffer", Offset: at}
	case tagSerializable:
		return nil, &NotPortableError{Kind: "object serialized by a registered interface (SERIALIZABLE)", Offset: at}
	case tagTransferable:
		return nil, &NotPortableError{Kind: "transferable object (TRANSFERABLE)", Offset: at}
	}
	return nil, &SyntaxError{Offset: at, Err: ErrUnknownTag, Detail: "tag " + utoa(n)}
}

// date reads a DATE: version 0 a zigzag integer of ms, version 1 a float64.
// As JavaScript's Date, the time value is truncated to whole ms and one
// beyond ±8.64e15 ms (or NaN) is an invalid date.
func (s *decState) date(id uint64, at int) (any, error) {
	var ms float64
	if s.v1 {
		f, err := s.readFloat64()
		if err != nil {
			return nil, err
		}
		ms = f
	} else {
		i, err := s.readInt()
		if err != nil {
			return nil, err
		}
		if i > maxTime || i < -maxTime {
			return jsvalue.InvalidDate{}, s.register(id, jsvalue.InvalidDate{}, at)
		}
		v := time.UnixMilli(i).UTC()
		return v, s.register(id, v, at)
	}
	if ms != ms || math.Abs(ms) > maxTime {
		return jsvalue.InvalidDate{}, s.register(id, jsvalue.InvalidDate{}, at)
	}
	v := time.UnixMilli(int64(ms)).UTC()
	return v, s.register(id, v, at)
}

// error reads an ERROR: flags, name code, message, stack, [cause],
// [errors]. The error is registered before its stack, cause and errors, so
// references to it from inside resolve. Unknown name codes give "Error".
// A stack that is not a string is read and dropped (the model holds a string).
func (s *decState) error(id uint64, at int) (any, error) {
	if err := s.enter(); err != nil {
		return nil, err
	}
	defer s.leave()
	flags, err := s.readUint()
	if err != nil {
		return nil, err
	}
	code, err := s.readUint()
	if err != nil {
		return nil, err
	}
	msg, err := s.readString()
	if err != nil {
		return nil, err
	}
	e := &jsvalue.Error{Name: jsvalue.ErrorNameError, Message: msg}
	if code < uint64(len(errorNames)) {
		e.Name = errorNames[code]
	}
	if err := s.register(id, e, at); err != nil {
		return nil, err
	}
	stack, err := s.value()
	if err != nil {
		return nil, err
	}
	if str, ok := stack.(string); ok {
		e.Stack, e.HasStack = str, true
	}
	if flags&1 != 0 {
		if e.Cause, err = s.value(); err != nil {
			return nil, err
		}
		e.HasCause = true
	}
	if code == errorAggregate {
		n, err := s.readCount(1)
		if err != nil {
			return nil, err
		}
		if n > 0 {
			e.Errors = make([]any, n)
		}
		for i := range e.Errors {
			if e.Errors[i], err = s.value(); err != nil {
				return nil, err
			}
		}
	}
	return e, nil
}
