package nodejson

import "github.com/uvpipe/uvpipe/ipc/jsvalue"

// Marshal returns v as Node's JSON.stringify writes the equivalent JavaScript
// value, without the trailing newline of the IPC framing: jsvalue.Stringify,
// whose documentation (and this package's) has the rules. v is a value of
// the model of package jsvalue or an ordinary Go value (converted with
// jsvalue.FromGo).
func Marshal(v any) ([]byte, error) { return jsvalue.Stringify(v) }

// AppendMarshal appends the JSON form of v to b, as Marshal writes it.
func AppendMarshal(b []byte, v any) ([]byte, error) { return jsvalue.AppendStringify(b, v) }

// ErrUndefined is returned for a value JSON.stringify turns into undefined (a
// top-level undefined or function), which Node refuses to send.
var ErrUndefined = jsvalue.ErrUndefined

// UnsupportedValueError reports a value JSON.stringify throws on: a BigInt, a
// cycle, or nesting too deep.
type UnsupportedValueError = jsvalue.UnsupportedValueError

// MaxEncodeDepth is how deeply Marshal nests arrays and objects before it
// gives up, like JSON.stringify running out of stack.
const MaxEncodeDepth = jsvalue.MaxStringifyDepth

// MaxSparseLength is the largest SparseArray length Marshal writes out; a
// longer one would make a string beyond what V8 can hold.
const MaxSparseLength = jsvalue.MaxSparseLength
