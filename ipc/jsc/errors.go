package jsc

import (
	"errors"
	"fmt"
	"reflect"
)

// Errors a decoder wraps in a *DecodeError; test for them with errors.Is.
var (
	// ErrTruncated means the data ended inside a value.
	ErrTruncated = errors.New("data truncated")
	// ErrVersion means the leading version is newer than Version.
	ErrVersion = errors.New("unsupported format version")
	// ErrUnknownTag means a byte where a value should start is no tag
	// JavaScriptCore defines.
	ErrUnknownTag = errors.New("unknown tag")
	// ErrNotPortable means a value that refers to tables only the sending
	// process has: a transferred or shared object (MessagePort, transferred
	// ArrayBuffer, SharedArrayBuffer, WebAssembly module or memory,
	// transferred stream, ...).
	ErrNotPortable = errors.New("value cannot cross a process")
	// ErrUnsupported means a value JavaScriptCore can send that the jsvalue
	// model cannot hold: a Blob, File, CryptoKey, KeyObject,
	// X509Certificate, DOMException, a resizable ArrayBuffer, a Map or Set
	// with properties of its own, ...
	ErrUnsupported = errors.New("value has no jsvalue equivalent")
	// ErrBadReference means an object or string reference to an index not
	// (yet) in its pool, or a view over something that is not an
	// ArrayBuffer.
	ErrBadReference = errors.New("bad reference")
	// ErrTooDeep means values nest deeper than the depth limit.
	ErrTooDeep = errors.New("nesting too deep")
	// ErrTooBig means the input is larger than the decoder's size limit.
	ErrTooBig = errors.New("input larger than the size limit")
	// ErrLength means a length larger than the remaining input, or otherwise
	// impossible; it is reported before anything is allocated.
	ErrLength = errors.New("bad length")
	// ErrMalformed means any other structural fault: a boolean that is
	// neither 0 nor 1, an unknown error type or view subtag, invalid RegExp
	// flags, a view outside its buffer or not aligned to its element size.
	ErrMalformed = errors.New("malformed value")
	// ErrTrailingData means bytes left after the one value.
	ErrTrailingData = errors.New("trailing data after the value")
)

// DecodeError reports where and why serialized data could not be decoded.
// Err is one of the Err* variables of this package.
type DecodeError struct {
	Offset int    // byte offset in the input (from the version)
	Err    error  // the kind of fault
	Detail string // what was found, may be empty
}

func (e *DecodeError) Error() string {
	if e.Detail == "" {
		return fmt.Sprintf("jsc: offset %d: %v", e.Offset, e.Err)
	}
	return fmt.Sprintf("jsc: offset %d: %v: %s", e.Offset, e.Err, e.Detail)
}

// Unwrap returns Err.
func (e *DecodeError) Unwrap() error { return e.Err }

// EncodeError reports a value that cannot be written in JavaScriptCore's
// format, or that the format would change on the way.
type EncodeError struct {
	Type   reflect.Type // the Go type, nil for a nil interface
	Reason string
	// notModel marks a value outside the jsvalue model, which Append
	// converts with jsvalue.FromGo and writes again.
	notModel bool
}

func (e *EncodeError) Error() string {
	if e.Type == nil {
		return "jsc: cannot encode value: " + e.Reason
	}
	return "jsc: cannot encode " + e.Type.String() + ": " + e.Reason
}

func encodeErr(v any, reason string) error {
	return &EncodeError{Type: reflect.TypeOf(v), Reason: reason}
}

// notModelErr is encodeErr for a value outside the jsvalue model.
func notModelErr(v any, reason string) error {
	return &EncodeError{Type: reflect.TypeOf(v), Reason: reason, notModel: true}
}
