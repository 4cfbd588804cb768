// Package jsvalue is the one Go model of JavaScript values shared by uvpipe's
// codecs (Node's JSON, the V8 value serializer and bare-structured-clone), so
// that a value decoded by one codec can be encoded by another.
//
// Decoding into an `any` gives the faithful model:
//
//	JavaScript             Go
//	undefined              Undefined{}
//	null                   nil
//	boolean                bool
//	number                 float64
//	bigint                 *big.Int
//	string                 string (WTF-8: lone surrogates survive, see below)
//	Array (dense)          []any (holes as Hole{})
//	Array (extra props)    *Array
//	Array (sparse)         *SparseArray
//	plain object           *Object (keys in JavaScript's order)
//	Date                   time.Time, or InvalidDate{} for new Date(NaN)
//	RegExp                 RegExp
//	Map / Set              *Map / *Set
//	Error                  *Error
//	Buffer                 []byte
//	ArrayBuffer            ArrayBuffer
//	typed array, DataView  TypedArray
//	new Number(1) etc.     Boxed
//	URL (bare)             URL
//
// Ordinary Go values encode naturally: nil, bool, every integer and float type,
// string, []byte (as a Buffer), slices and arrays, maps with string or integer
// keys, structs (field tags `js:"name,omitempty"`, falling back to `json` tags),
// pointers, time.Time and *big.Int. [FromGo] turns such a value into the model;
// [Assign] stores a model value into a Go value the way encoding/json's
// Unmarshal does.
//
// # Printing and JSON
//
// Every type of the model marshals with encoding/json as the JSON text the
// peer would see: [Stringify], JSON.stringify's rules (a Map, Set, RegExp or
// Error is {}, a Buffer {"type":"Buffer","data":[...]}, Undefined null). Each
// also prints readably with fmt: plain data as its JSON text, the rest as
// JavaScript's console shows it (undefined, NaN, 12n, Map(1) {"a" => 1},
// [Number: 1], <Buffer 01 02>, Uint16Array(2) [1,2]).
//
// # Strings
//
// JavaScript strings are sequences of UTF-16 code units and may hold lone
// surrogates, which UTF-8 cannot. Strings in this model are WTF-8: valid UTF-8,
// except that a lone surrogate is written as its three-byte generalized UTF-8
// form (0xED 0xA0..0xBF ..). Codecs decode lone surrogates to that form and
// encode it back, so such strings round-trip exactly. Other invalid UTF-8 in a
// Go string is encoded as U+FFFD.
//
// # Identity
//
// Pointer types (*Object, *Array, *SparseArray, *Map, *Set, *Error) and slices
// keep their identity: a value reached twice is encoded once and referred back
// to where the format allows it (V8, structured clone), so shared objects and
// cycles survive. JSON has no references: a cycle is an error there, as in
// JSON.stringify.
package jsvalue
