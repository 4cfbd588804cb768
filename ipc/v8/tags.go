package v8

// Serialization tags of V8's ValueSerializer (src/objects/value-serializer.cc).
const (
	tagVersion           = 0xFF
	tagPadding           = 0x00
	tagVerifyObjectCount = '?'
	tagTheHole           = '-'
	tagUndefined         = '_'
	tagNull              = '0'
	tagTrue              = 'T'
	tagFalse             = 'F'
	tagInt32             = 'I'
	tagUint32            = 'U'
	tagDouble            = 'N'
	tagBigInt            = 'Z'
	tagUtf8String        = 'S'
	tagOneByteString     = '"'
	tagTwoByteString     = 'c'
	tagObjectReference   = '^'
	tagBeginJSObject     = 'o'
	tagEndJSObject       = '{'
	tagBeginSparseArray  = 'a'
	tagEndSparseArray    = '@'
	tagBeginDenseArray   = 'A'
	tagEndDenseArray     = '$'
	tagDate              = 'D'
	tagTrueObject        = 'y'
	tagFalseObject       = 'x'
	tagNumberObject      = 'n'
	tagBigIntObject      = 'z'
	tagStringObject      = 's'
	tagRegExp            = 'R'
	tagBeginMap          = ';'
	tagEndMap            = ':'
	tagBeginSet          = '\''
	tagEndSet            = ','
	tagArrayBuffer       = 'B'
	tagResizableBuffer   = '~'
	tagArrayBufferXfer   = 't'
	tagArrayBufferView   = 'V'
	tagSharedArrayBuffer = 'u'
	tagSharedObject      = 'p'
	tagWasmModuleXfer    = 'w'
	tagWasmMemoryXfer    = 'm'
	tagHostObject        = '\\'
	tagError             = 'r'
)

// Sub-tags inside an Error ('r' ... '.').
const (
	errTagEvalPrototype      = 'E'
	errTagRangePrototype     = 'R'
	errTagReferencePrototype = 'F'
	errTagSyntaxPrototype    = 'S'
	errTagTypePrototype      = 'T'
	errTagURIPrototype       = 'U'
	errTagMessage            = 'm'
	errTagCause              = 'c'
	errTagStack              = 's'
	errTagEnd                = '.'
)

// Format versions: written and the oldest read.
const (
	// Version is the format version Marshal writes (the V8 of Node 20 and of
	// Node 22 both write 15).
	Version = 15
	// MinVersion is the oldest format version the decoder reads.
	MinVersion = 13
)

// Host object sub-tags written by Node's ChildProcessSerializer.
const (
	hostArrayBufferView    = 0
	hostNotArrayBufferView = 1
)

// regExpFlags maps each flag letter to its bit in V8's JSRegExp::Flags, in
// the order JavaScript's RegExp.prototype.flags lists them.
var regExpFlags = [...]struct {
	c   byte
	bit uint32
}{
	{'d', 128}, {'g', 1}, {'i', 2}, {'l', 64}, {'m', 4}, {'s', 32}, {'u', 16}, {'v', 256}, {'y', 8},
}

const regExpFlagMask = 511
