package structuredclone

import (
	"errors"
	"fmt"
	"reflect"
)

// Sentinel errors. Decoding errors are returned inside a *SyntaxError, so test
// for them with errors.Is.
var (
	// ErrTruncated: the input ends inside a value, or a length runs past the end.
	ErrTruncated = errors.New("structuredclone: unexpected end of input")
	// ErrTrailingData: bytes follow the top-level value.
	ErrTrailingData = errors.New("structuredclone: trailing data after the value")
	// ErrVersion: the header names a version other than 0 or 1.
	ErrVersion = errors.New("structuredclone: unsupported version")
	// ErrUnknownTag: a value, transfer, typed array view, property key kind or
	// array layout code this version does not define.
	ErrUnknownTag = errors.New("structuredclone: unknown tag")
	// ErrBadReference: a reference to an id not seen yet, an id claimed twice
	// (version 1) or a reference to an object of the wrong kind (a typed
	// array's buffer that is not an ArrayBuffer).
	ErrBadReference = errors.New("structuredclone: invalid reference")
	// ErrTooDeep: nesting beyond the depth limit.
	ErrTooDeep = errors.New("structuredclone: nesting too deep")
	// ErrTooBig: a count above 0x100000 (compact-encoding's "Array is too
	// big"), or an input or length above the size limit.
	ErrTooBig = errors.New("structuredclone: too big")
	// ErrInvalidUTF8: a string that is not valid UTF-8.
	ErrInvalidUTF8 = errors.New("structuredclone: invalid UTF-8 in string")
	// ErrInvalidValue: a structurally invalid value, such as a typed array
	// whose view runs past its buffer or an array length above 2^32-1.
	ErrInvalidValue = errors.New("structuredclone: invalid value")
	// ErrNotPortable: a kind that only means something inside the process that
	// wrote it (see NotPortableError).
	ErrNotPortable = errors.New("structuredclone: value is not portable between processes")
)

// SyntaxError describes malformed input: what is wrong (Err, one of the
// sentinel errors above) and the byte offset where it was found.
type SyntaxError struct {
	Offset int    // byte offset into the input
	Err    error  // the sentinel error
	Detail string // more about what was found, may be empty
}

// Error describes the problem and where it is.
func (e *SyntaxError) Error() string {
	if e.Detail == "" {
		return fmt.Sprintf("%v at offset %d", e.Err, e.Offset)
	}
	return fmt.Sprintf("%v at offset %d: %s", e.Err, e.Offset, e.Detail)
}

// Unwrap returns the sentinel error.
func (e *SyntaxError) Unwrap() error { return e.Err }

// NotPortableError reports a value kind that bare-structured-clone only
// carries as a process-local pointer or token: a transferred ArrayBuffer or
// transferable object, a SharedArrayBuffer (growable or not), an external
// pointer, or an object serialized through a registered interface. A peer in
// another process cannot rebuild it. errors.Is(err, ErrNotPortable) holds.
type NotPortableError struct {
	Kind   string // "SharedArrayBuffer", "transferred ArrayBuffer", ...
	Offset int    // byte offset of the tag
}

// Error names the kind and its offset.
func (e *NotPortableError) Error() string {
	return fmt.Sprintf("structuredclone: %s at offset %d is process-local and cannot be decoded in another process", e.Kind, e.Offset)
}

// Unwrap returns ErrNotPortable.
func (e *NotPortableError) Unwrap() error { return ErrNotPortable }

// UnsupportedTypeError is returned when encoding a Go value that has no
// structured-clone form (a channel, a function, a boxed primitive, ...).
type UnsupportedTypeError struct {
	Type   reflect.Type
	Reason string // may be empty
}

// Error names the type.
func (e *UnsupportedTypeError) Error() string {
	if e.Reason != "" {
		return "structuredclone: cannot encode " + typeName(e.Type) + ": " + e.Reason
	}
	return "structuredclone: cannot encode " + typeName(e.Type)
}

func typeName(t reflect.Type) string {
	if t == nil {
		return "<nil>"
	}
	return t.String()
}

// UnsupportedValueError is returned when encoding a value of a supported type
// that the format cannot carry, such as an invalid Date in version 0, a Date
// outside JavaScript's range, or nesting beyond the depth limit.
type UnsupportedValueError struct {
	Reason string
	Err    error // ErrTooDeep for over-deep nesting, else nil
}

// Error gives the reason.
func (e *UnsupportedValueError) Error() string {
	return "structuredclone: cannot encode value: " + e.Reason
}

// Unwrap returns Err.
func (e *UnsupportedValueError) Unwrap() error { return e.Err }
