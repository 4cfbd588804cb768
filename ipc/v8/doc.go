// Package v8 is V8's value serializer in pure Go: the format of Node's
// child_process "advanced" serialization (v8.serialize), byte for byte as
// Node 22 writes it, and as Node 20 does but for one choice (an Error with
// both a stack and a cause, below).
//
// # Values
//
// Decode gives the model of package jsvalue: numbers as float64, strings as
// WTF-8 Go strings (lone surrogates survive), *jsvalue.Object with keys in
// JavaScript's order, []any for dense arrays (holes as jsvalue.Hole{}),
// *jsvalue.Array for dense arrays with named properties (and for a dense array
// that refers to itself), *jsvalue.SparseArray, *jsvalue.Map, *jsvalue.Set,
// *jsvalue.Error, jsvalue.RegExp, jsvalue.Boxed, jsvalue.ArrayBuffer,
// jsvalue.TypedArray, []byte for a Node Buffer, time.Time (UTC) or
// jsvalue.InvalidDate for a Date, *big.Int, jsvalue.Undefined{} and nil for
// null. Marshal writes the model directly and other Go values through
// jsvalue.FromGo; Unmarshal fills Go values through jsvalue.Assign.
//
// Marshal writes what V8 writes for the value a JavaScript program would
// hold:
//   - a number is a Smi ('I', zigzag) when it is an integer in the int32
//     range other than -0, else a double ('N'); a dense array whose elements
//     are all numbers, one of them not a Smi, is written all doubles, as V8
//     writes PACKED_DOUBLE elements;
//   - a string is one-byte (Latin-1) when every UTF-16 code unit is below
//     256, else two-byte UTF-16LE, after a padding byte if needed to align it;
//   - object keys that are array indexes come first, ascending, written as
//     numbers ('I', or 'N' beyond 2^31-1), then the other keys in order;
//   - an array with holes is written sparse, as V8 writes holey arrays;
//   - every object takes the next object id, and an object met again (a
//     pointer, or a slice of non-zero capacity, met twice) is written as a
//     back-reference, so shared objects and cycles survive;
//   - Buffers and typed arrays are host objects as Node's
//     ChildProcessSerializer writes them: 0x5C, varint 0, Node's type index
//     (Buffer 10, DataView 9, ...), byte length, bytes;
//   - an Error is written with its prototype tag, message, stack and cause,
//     in that order, as V8 12.4 (Node 22) writes and reads it. V8 11.3
//     (Node 20) writes the cause before the stack and reads either order;
//     V8 12.4 refuses a cause before the stack, so this order is the one
//     both read.
//
// V8's output for the same JavaScript value can depend on the engine's
// internal state, which no encoder outside it can see: an integer stored in
// an object field that once held a fraction, or computed by optimized code,
// may be written as a double. Such bytes decode to the same value here, and
// Marshal then writes the canonical form above.
//
// Decode reads format versions 13 to 15: padding anywhere a tag is read,
// 'U' and 'S', the verify-count tag, resizable ArrayBuffers (as plain ones)
// and V8's own ArrayBufferView form. Tags that cannot cross a process
// (SharedArrayBuffer, transferred ArrayBuffer, shared objects, WebAssembly)
// are ErrNotPortable. Every fault is a *DecodeError wrapping one of the Err
// variables: a length beyond the remaining input is refused before anything
// is allocated, and nesting is limited (DefaultMaxDepth).
//
// Decode and Unmarshal copy the bytes of Buffers, ArrayBuffers and typed
// arrays out of their input. DecodeOptions.AliasInput returns sub-slices of
// the input instead, as Node's deserializer returns views into the message,
// for a caller that leaves the input alone while it holds them.
//
// # Framing
//
// In Node's advanced mode each message on the IPC channel is a 4-byte
// big-endian length followed by the V8 payload (0xFF 0x0F and one value).
// Encoder writes such messages and Decoder reads them, whatever the reads'
// sizes. A Decoder checks the length against MaxMessageSize (default
// DefaultMaxMessageSize) before allocating, refuses a length of 2^31 or more
// (which Node's reader cannot handle) and a payload that does not start with
// 0xFF, and recognises Bun's advanced-mode version packet (01 0N 00 00 00):
// Bun's "advanced" is JavaScriptCore's format, not V8's, so it returns a
// *BunAdvancedError saying so (package ipc/jsc reads that format, and
// package ipc/nodeipc speaks Bun's advanced mode). Decoder.Decode aliases
// the byte values of a message that does not fit its 64 KiB read-ahead
// buffer into the memory it read that message into, never reused after.
package v8
