// Package structuredclone encodes and decodes bare-structured-clone, the
// structured-clone wire format of the Bare runtime, which bare-channel uses
// for its messages. It reads and writes both versions:
//
//   - Version0, written by bare-structured-clone 1.x (what bare-channel 5.x
//     sends), the default;
//   - Version1, written by bare-structured-clone 2.x.
//
// Values are those of the shared jsvalue model (see package jsvalue); ordinary
// Go values are converted with jsvalue.FromGo on the way in, and Unmarshal
// stores into Go values with jsvalue.Assign.
//
// # Wire format
//
// Integers are compact-encoding uints: one byte up to 0xFC, else 0xFD, 0xFE or
// 0xFF and a 2, 4 or 8-byte little-endian integer. A message is
//
//	uint version, uint flags (0), value
//
// where value is a tag and its payload. serializeWithTransfer (and so
// bare-channel) wraps the value in a TRANSFER node with a list of transferred
// objects, empty here; serialize() does not. The Encoder writes the TRANSFER
// form by default (Encoder.Plain or WithoutTransfer leave it out); the Decoder
// reads both.
//
// Primitives carry no id: undefined, null, true, false, NUMBER (float64),
// BIGINT (zigzag, then 64-bit limbs), STRING (length-prefixed UTF-8). Every
// object carries an id, given 1, 2, 3... in the order the serializer meets
// objects, a container before its children, so that an object met again is
// written as REFERENCE id: shared objects and cycles survive. Objects and
// arrays are lists of key, value properties; Map, Set, Date, RegExp, Error
// (name code, message, stack, cause, AggregateError's errors), ArrayBuffer,
// resizable ArrayBuffer, typed arrays (Float16Array too), DataView, URL and
// Buffer have payloads of their own.
//
// Version 1 renumbers the tags to add INTEGER (an int32-range number as a
// zigzag int), writes a Date as a float64 rather than an integer, writes
// property keys as INDEX n, NAME s or NAME_REFERENCE i (a per-message table of
// names), and writes arrays without holes in a DENSE layout (the elements in
// order, then the other properties).
//
// # What the encoder writes
//
// The output is byte for byte what bare-structured-clone writes for the same
// JavaScript value, with these consequences of the Go model:
//
//   - a view (typed array, DataView, Buffer) is written over an ArrayBuffer of
//     its own bytes at offset 0, as version 1 does for partial views; a view
//     whose bytes are exactly those of an ArrayBuffer (or another view) met
//     before refers to that buffer, so views decoded over one whole buffer
//     keep sharing it;
//   - Date, RegExp and URL values have no identity in Go, so each occurrence
//     is written in full;
//   - in version 0 every DataView carries the id of the first one, as
//     bare-structured-clone 1.x writes it (its decoder lets a later object
//     take an id over);
//   - unlike bare-structured-clone 1.x, ids of 253 and above are sized
//     correctly (1.x overruns its buffer there, so JavaScript cannot send a
//     value with that many objects, but it can receive one);
//   - strings are UTF-8; a lone surrogate (WTF-8 in the model) is written as
//     U+FFFD, as JavaScript's UTF-8 encoder does.
//
// # What the decoder returns
//
// Decoding gives the model: numbers as float64, []any for an array without
// holes, *jsvalue.Array when it has named properties too, *jsvalue.SparseArray
// when it has holes, *jsvalue.Object, *jsvalue.Map, *jsvalue.Set, time.Time
// (UTC) or jsvalue.InvalidDate, jsvalue.RegExp, *jsvalue.Error,
// jsvalue.ArrayBuffer, ResizableArrayBuffer, jsvalue.TypedArray (for a
// DataView too), []byte for a Buffer, jsvalue.URL, *big.Int. Views share
// memory with their ArrayBuffer, as in JavaScript.
//
// An Error's cause is decoded and returned in both versions, although
// bare-structured-clone 1.x itself drops it when decoding (it passes it as
// `case`) and turns URIError into Error; the Go decoder returns what the
// bytes say. An error is registered before its stack, cause and errors, so a
// reference to it from inside resolves (1.x's decoder fails there). A stack
// that is not a string is read and dropped.
//
// # Not portable
//
// Transferred ArrayBuffers and transferable objects, SharedArrayBuffers
// (growable or not), external pointers and objects serialized through
// registered interfaces (SERIALIZABLE) travel as native pointers or tokens
// that only mean something inside the writing process. Decoding one gives a
// *NotPortableError (errors.Is(err, ErrNotPortable)); the encoder never
// writes them.
//
// # Bad input
//
// Input is not trusted. Truncation, unknown tags, references to unknown ids
// (and, in version 1, ids claimed twice), nesting beyond Decoder.MaxDepth,
// counts above 0x100000 (compact-encoding's limit), lengths beyond the input
// or Decoder.MaxSize, invalid UTF-8 and trailing bytes are each a *SyntaxError
// wrapping a sentinel error, with the offset; the decoder never panics and
// checks every length before it allocates.
package structuredclone
