package v8

import (
	"errors"
	"fmt"
	"reflect"
)

// Errors a decoder wraps in a *DecodeError; test for them with errors.Is.
var (
	// ErrTruncated means the data ended inside a value.
	ErrTruncated = errors.New("data truncated")
	// ErrBadHeader means the data does not start with 0xFF and a version.
	ErrBadHeader = errors.New("bad header")
	// ErrVersion means the format version is outside 13..15.
	ErrVersion = errors.New("unsupported format version")
	// ErrUnknownTag means a byte where a value should start is no V8 tag.
	ErrUnknownTag = errors.New("unknown tag")
	// ErrNotPortable means a tag that cannot cross a process: a
	// SharedArrayBuffer, a transferred ArrayBuffer, a shared object or a
	// WebAssembly module or memory.
	ErrNotPortable = errors.New("value cannot cross a process")
	// ErrBadReference means an object reference to an id not (yet) assigned.
	ErrBadReference = errors.New("bad object reference")
	// ErrTooDeep means values nest deeper than the depth limit.
	ErrTooDeep = errors.New("nesting too deep")
	// ErrLength means a length larger than the remaining input, or otherwise
	// impossible; it is reported before anything is allocated.
	ErrLength = errors.New("bad length")
	// ErrInvalidUTF8 means a UTF-8 string ('S') that is not valid UTF-8.
	ErrInvalidUTF8 = errors.New("invalid UTF-8")
	// ErrMalformed means any other structural fault: a wrong property count,
	// a key that is neither string nor number, bad RegExp flags, ...
	ErrMalformed = errors.New("malformed value")
	// ErrTrailingData means bytes left after the one value.
	ErrTrailingData = errors.New("trailing data after the value")
)

// DecodeError reports where and why V8 serialized data could not be decoded.
// Err is one of the Err* variables of this package.
type DecodeError struct {
	Offset int    // byte offset in the payload (from the 0xFF header)
	Err    error  // the kind of fault
	Detail string // what was found, may be empty
}

func (e *DecodeError) Error() string {
	if e.Detail == "" {
		return fmt.Sprintf("v8: offset %d: %v", e.Offset, e.Err)
	}
	return fmt.Sprintf("v8: offset %d: %v: %s", e.Offset, e.Err, e.Detail)
}

// Unwrap returns Err.
func (e *DecodeError) Unwrap() error { return e.Err }

// EncodeError reports a value that cannot be written as a V8 value.
type EncodeError struct {
	Type   reflect.Type // the Go type, nil for a nil interface
	Reason string
}

func (e *EncodeError) Error() string {
	if e.Type == nil {
		return "v8: cannot encode value: " + e.Reason
	}
	return "v8: cannot encode " + e.Type.String() + ": " + e.Reason
}

// ErrFrameTooLarge is wrapped by a *FrameError whose length prefix exceeds the
// decoder's limit or the 31-bit range Node can read.
var ErrFrameTooLarge = errors.New("message too large")

// ErrFrameNotV8 is wrapped by a *FrameError whose payload does not start with
// the V8 header byte 0xFF.
var ErrFrameNotV8 = errors.New("message is not V8 serialized data")

// FrameError reports a broken length-prefixed stream. The stream cannot be
// resynchronised after it; the Decoder returns it again on every call.
type FrameError struct {
	Length uint32 // the length prefix read
	Max    int    // the limit in force
	Err    error  // ErrFrameTooLarge or ErrFrameNotV8
}

func (e *FrameError) Error() string {
	switch {
	case errors.Is(e.Err, ErrFrameTooLarge) && e.Length >= 0x80000000:
		return fmt.Sprintf("v8: message length %d is 2^31 or more, which Node cannot read", e.Length)
	case errors.Is(e.Err, ErrFrameTooLarge):
		return fmt.Sprintf("v8: message length %d exceeds the limit of %d bytes", e.Length, e.Max)
	case e.Err != nil:
		return fmt.Sprintf("v8: message of length %d: %v", e.Length, e.Err)
	}
	return "v8: bad frame"
}

// Unwrap returns Err.
func (e *FrameError) Unwrap() error { return e.Err }

// BunAdvancedError is returned when the stream starts with Bun's
// advanced-mode version packet (01 0N 00 00 00). Bun's "advanced"
// serialization is JavaScriptCore's format, not V8's, and Node cannot read it
// either: package ipc/jsc reads it, and package ipc/nodeipc speaks Bun's
// advanced mode.
type BunAdvancedError struct {
	Version byte // N of the version packet
}

func (e *BunAdvancedError) Error() string {
	return fmt.Sprintf("v8: the peer speaks Bun's advanced serialization (JavaScriptCore format, version %d), not V8's (package ipc/jsc reads it)", e.Version)
}
