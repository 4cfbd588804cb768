// Package jsc is JavaScriptCore's serialized-value format (WebKit's
// SerializedScriptValue) in pure Go: what Bun's child_process IPC sends in
// its default "advanced" serialization, and what bun:jsc's serialize and
// deserialize produce and read. It decodes every format version up to
// Version (14, Bun 1.4.5's) and encodes Version, byte for byte as Bun writes
// the same JavaScript value.
//
// # Use
//
//	b, err := jsc.Marshal(map[string]any{"hello": "bun", "n": 1})
//	// b is what Bun's serialize({hello: "bun", n: 1}) returns
//
//	v, err := jsc.Decode(b)      // the jsvalue model: *jsvalue.Object{...}
//	var m struct{ Hello string }
//	err = jsc.Unmarshal(b, &m)   // into Go values, as encoding/json does
//
// Marshal takes values of the jsvalue model and ordinary Go values (through
// jsvalue.FromGo: structs, maps, slices, numbers, time.Time, *big.Int, ...).
// Decode returns the model; Unmarshal stores into Go values with
// jsvalue.Assign. A Decoder sets the size and depth limits; an Encoder sets
// the depth limit.
//
// On Bun's IPC channel (NODE_CHANNEL_SERIALIZATION_MODE=advanced) the stream
// starts with a version packet, 01 and a little-endian uint32 2, and each
// message is 02, a little-endian uint32 length and these bytes. This package
// reads and writes the bytes of one message; it does not frame them:
// package ipc/nodeipc does, with the rest of Bun's framing.
//
// # What maps to what
//
//	JavaScript                 wire                                 Go (Decode)
//	undefined, null            UndefinedTag, NullTag                jsvalue.Undefined{}, nil
//	true, false                TrueTag, FalseTag                    bool
//	number                     ZeroTag, OneTag, IntTag, DoubleTag   float64
//	string                     EmptyStringTag, StringTag            string (WTF-8)
//	bigint                     BigIntTag                            *big.Int
//	plain object               ObjectTag                            *jsvalue.Object
//	array, no holes            ArrayTag                             []any
//	array with named props     ArrayTag ... NonIndexProperties      *jsvalue.Array
//	array with holes           ArrayTag                             *jsvalue.SparseArray
//	Map, Set                   MapObjectTag, SetObjectTag           *jsvalue.Map, *jsvalue.Set
//	Date                       DateTag                              time.Time (UTC), jsvalue.InvalidDate
//	RegExp                     RegExpTag                            jsvalue.RegExp (flags in "dgimsuvy" order)
//	ArrayBuffer                ArrayBufferTag                       jsvalue.ArrayBuffer
//	typed array, DataView      ArrayBufferViewTag                   jsvalue.TypedArray
//	Buffer                     ArrayBufferViewTag (a Uint8Array)    jsvalue.TypedArray (KindUint8)
//	new Number/String/...      NumberObjectTag, ...                 jsvalue.Boxed
//	Error and its six kinds    ErrorInstanceTag                     *jsvalue.Error
//
// Marshal also takes []byte, written as a Uint8Array as Bun writes a Buffer.
// A class instance is written by Bun as a plain object of its own
// properties.
//
// # The format
//
// A serialization is a little-endian uint32 version and one value: a tag
// byte and a payload of fixed-width little-endian integers and doubles.
// Objects, arrays, maps and sets list their members up to a 32-bit
// terminator (0xFFFFFFFF); an array lists index, value pairs for the
// elements present only, so holes and sparse arrays cost nothing. Strings
// (values, property names, RegExp sources and flags, Error messages and
// stacks) are StringData: a 32-bit length whose top bit marks one byte per
// character (Latin-1), else UTF-16 code units; a string written before is a
// reference into the string pool instead. Every object, array, map, set,
// boxed primitive, Date, RegExp, Error, ArrayBuffer and view takes the next
// slot of the object pool (a view after its buffer), and one met again is a
// reference; BigInts and other primitives take none. Pool indices are one
// byte while the pool has at most 255 entries, two up to 65535, four beyond,
// counted on both sides as the pool grows. A view is its subtag, 64-bit
// byte offset and length (32-bit before version 10), and its buffer, so
// views over one ArrayBuffer share it.
//
// # What Marshal writes
//
//   - An integral number in the int32 range other than -0 is an int32 (0 and
//     1 with their own tags), everything else a double; NaN is written as
//     JavaScriptCore's one NaN. In an array, the numbers before the first
//     element that is not a number (or is NaN) are all doubles when one of
//     them is not an int32: JavaScriptCore reads such an array into double
//     storage, and Bun then writes back exactly Go's bytes. A JavaScript program may hold
//     an integer as a double in other places too (an array literal mixing
//     types, a result of optimized code), and JavaScriptCore then writes a
//     double; such bytes decode to the same number.
//   - A string is Latin-1 when every UTF-16 code unit is below 256, else
//     UTF-16; a lone surrogate (WTF-8 in the model) survives.
//   - Object keys are written in JavaScript's order: array indices
//     ascending, then the other keys as held.
//   - A view is written over the largest ArrayBuffer of the value that holds
//     its bytes (at an offset aligned to its element size), else the largest
//     such view, else its own bytes. Views decoded from one message over one
//     buffer that the value also holds thus share it again; views whose
//     buffer the model does not hold are each written over their own bytes.
//     Two views over the same bytes and kind are one value in the model and
//     written as one object.
//   - Date and RegExp values have no identity in Go: each occurrence is
//     written in full (and takes its pool slot). A *jsvalue.Error met again
//     is a reference, as in Bun.
//   - An Error is written with line and column 0 and no source URL; an empty
//     message is written as no message, as new Error() has.
//   - A Map key or Set value -0 is written as 0, as a Map or Set holds it.
//
// # Refused
//
// Nothing is sent or returned changed. Marshal refuses, with an
// *EncodeError: an Error with a cause (JavaScriptCore's format drops it),
// with AggregateError's errors or another name than the seven it carries;
// a jsvalue.URL; a hole outside an array; invalid RegExp flags; a time.Time
// beyond ±8.64e15 ms; an array property named like an index; a typed array
// whose length is not a multiple of its element size; an array property
// named "length"; two Map keys or Set values that Map or Set would take for
// one (SameValueZero: NaN is NaN, -0 is 0, BigInts by value, objects by
// identity); Go values FromGo refuses (channels, functions, cycles through
// Go maps or slices).
//
// Decode refuses, with a *DecodeError wrapping ErrUnsupported, values Bun
// can send that the model cannot hold: Blob, File, CryptoKey, KeyObject,
// X509Certificate, DOMException, BlockList, a resizable ArrayBuffer and
// views that track its length, a Map or Set with properties of its own, a
// sparse array that contains itself; and, wrapping ErrNotPortable, tags that
// name objects transferred or shared inside the sending process
// (MessagePort, transferred ArrayBuffer, SharedArrayBuffer, WebAssembly,
// streams). An Error's line, column and source URL, which repeat what its
// stack says, are read and dropped: the model has no place for them.
//
// # Bad input
//
// Input is not trusted. A Decoder refuses input beyond MaxSize
// (DefaultMaxSize), checks every length and count against the bytes that
// remain before allocating, refuses nesting beyond MaxDepth
// (DefaultMaxDepth), references to pool entries not yet written, views
// outside their buffer or not aligned to their element size, unknown tags,
// versions newer than Version and trailing bytes; each is a *DecodeError
// with the offset and one of the Err variables, never a panic. The result
// owns its memory: nothing refers to the input afterwards. JavaScriptCore's
// own leniencies are kept: a property given twice takes the last value, an
// array index at or beyond the length extends it, an index-like named
// property of an array is an element, a Map key or Set value given twice is
// taken once, as Map.prototype.set and Set.prototype.add take it. An array
// that contains itself decodes to a *jsvalue.Array (holes as jsvalue.Hole)
// when its length is at most 1024, else to a *jsvalue.SparseArray.
package jsc
