// Package nodejson is Node.js's `json` IPC serialization in pure Go: values
// written byte for byte as JSON.stringify writes them, parsed as JSON.parse
// parses them, one message per line.
//
// Values are those of package jsvalue, or ordinary Go values, which Marshal
// converts with jsvalue.FromGo. Marshal is jsvalue.Stringify (the model's
// MarshalJSON methods write the same text), which follows JSON.stringify:
//
//   - object keys in JavaScript's order: for a *jsvalue.Object, canonical
//     array-index keys ("0", "17", not "01" or "4294967295") ascending, then
//     the others in the order held; struct fields in field order; Go maps
//     sorted as encoding/json sorts them, then index keys first;
//   - numbers as ECMAScript's Number.prototype.toString (1e+21, 1.5e-7,
//     5e-324), -0 as 0, NaN and ±Infinity as null;
//   - strings with only `"`, `\` and control characters escaped (\b \f \n \r
//     \t, others \u00xx), U+2028 and U+2029 raw, no HTML escaping, and a lone
//     surrogate (held in WTF-8, see package jsvalue) as a \udxxx escape;
//   - undefined and Go functions skipped in objects, null in arrays; at the
//     top level they give ErrUndefined, as Node refuses to send undefined;
//   - []byte (a Buffer) as {"type":"Buffer","data":[...]}, a typed array as
//     an object of its elements {"0":9,"1":8}, a DataView, ArrayBuffer,
//     RegExp, Map, Set or Error as {} (they have no enumerable own
//     properties), a URL as its href;
//   - time.Time as Date.prototype.toJSON writes it (UTC, milliseconds,
//     "+275760-09-13T00:00:00.000Z" beyond year 9999), InvalidDate or a time
//     beyond a Date's range as null;
//   - boxed primitives as their primitive, array holes as null, the named
//     properties of a *jsvalue.Array dropped, a *jsvalue.SparseArray as its
//     dense form with null in the gaps;
//   - a BigInt, a cycle ("Converting circular structure to JSON") or nesting
//     deeper than MaxEncodeDepth are *UnsupportedValueError.
//
// Decode parses like JSON.parse and Unmarshal stores the result in Go values
// as jsvalue.Assign does. Input is taken as Node's channel takes it, after
// its StringDecoder: invalid UTF-8 becomes U+FFFD (one per maximal invalid
// subsequence). Unlike JSON.parse, nesting is limited (DefaultMaxDepth).
// json.Marshaler, json.Unmarshaler and toJSON-like methods are not consulted.
//
// Encoder and Decoder add the framing: "\n" after each message. A Decoder
// survives a bad line (a *SyntaxError, then the next line) and limits the
// length of a line (DefaultMaxLineLength) before buffering it.
package nodejson
