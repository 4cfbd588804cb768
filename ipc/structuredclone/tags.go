package structuredclone

import "github.com/uvpipe/uvpipe/ipc/jsvalue"

// Version is the ABI version in the header of a structured-clone message.
type Version uint8

const (
	// Version0 is written by bare-structured-clone 1.x, which bare-channel
	// uses. It is the default.
	Version0 Version = 0
	// Version1 is written by bare-structured-clone 2.x.
	Version1 Version = 1
)

// String names the version and the package versions that write it.
func (v Version) String() string {
	switch v {
	case Version0:
		return "version 0 (bare-structured-clone 1.x)"
	case Version1:
		return "version 1 (bare-structured-clone 2.x)"
	}
	return "unknown version"
}

// tag is a value tag in version 1's numbering. Version 0 has no INTEGER, so
// its tags from BIGINT on are one lower (see wireTag and fromWire).
type tag uint8

const (
	tagUndefined tag = iota
	tagNull
	tagTrue
	tagFalse
	tagNumber
	tagInteger // version 1 only
	tagBigInt
	tagString
	tagDate
	tagRegExp
	tagError
	tagArrayBuffer
	tagResizableArrayBuffer
	tagSharedArrayBuffer
	tagGrowableSharedArrayBuffer
	tagTypedArray
	tagDataView
	tagMap
	tagSet
	tagArray
	tagObject
	tagReference
	tagTransfer
	tagURL
	tagBuffer
	tagExternal
	tagSerializable
	tagTransferable
	tagCount
)

// wireTag returns t's number in version v.
func wireTag(t tag, v1 bool) byte {
	if !v1 && t > tagInteger {
		return byte(t - 1)
	}
	return byte(t)
}

// fromWire maps a tag number read in version v to a tag; ok is false for an
// unknown number.
func fromWire(n uint64, v1 bool) (tag, bool) {
	if v1 {
		return tag(n), n < uint64(tagCount)
	}
	if n >= uint64(tagCount-1) {
		return 0, false
	}
	if n >= uint64(tagInteger) {
		return tag(n + 1), true
	}
	return tag(n), true
}

// Typed array view codes (the same in both versions).
const (
	viewUint8        = 1
	viewUint8Clamped = 2
	viewInt8         = 3
	viewUint16       = 4
	viewInt16        = 5
	viewUint32       = 6
	viewInt32        = 7
	viewBigUint64    = 8
	viewBigInt64     = 9
	viewFloat32      = 10
	viewFloat64      = 11
	viewFloat16      = 12
)

var kindToView = [...]uint8{
	jsvalue.KindInt8: viewInt8, jsvalue.KindUint8: viewUint8, jsvalue.KindUint8Clamped: viewUint8Clamped,
	jsvalue.KindInt16: viewInt16, jsvalue.KindUint16: viewUint16, jsvalue.KindInt32: viewInt32,
	jsvalue.KindUint32: viewUint32, jsvalue.KindFloat16: viewFloat16, jsvalue.KindFloat32: viewFloat32,
	jsvalue.KindFloat64: viewFloat64, jsvalue.KindBigInt64: viewBigInt64, jsvalue.KindBigUint64: viewBigUint64,
}

var viewToKind = [...]jsvalue.TypedArrayKind{
	viewUint8: jsvalue.KindUint8, viewUint8Clamped: jsvalue.KindUint8Clamped, viewInt8: jsvalue.KindInt8,
	viewUint16: jsvalue.KindUint16, viewInt16: jsvalue.KindInt16, viewUint32: jsvalue.KindUint32,
	viewInt32: jsvalue.KindInt32, viewBigUint64: jsvalue.KindBigUint64, viewBigInt64: jsvalue.KindBigInt64,
	viewFloat32: jsvalue.KindFloat32, viewFloat64: jsvalue.KindFloat64, viewFloat16: jsvalue.KindFloat16,
}

// Error name codes (the same in both versions); 0 is a plain Error.
var errorNames = [...]string{
	0: jsvalue.ErrorNameError, 1: jsvalue.ErrorNameAggregateError, 2: jsvalue.ErrorNameEvalError,
	3: jsvalue.ErrorNameRangeError, 4: jsvalue.ErrorNameReferenceError, 5: jsvalue.ErrorNameSyntaxError,
	6: jsvalue.ErrorNameTypeError, 7: jsvalue.ErrorNameURIError,
}

const errorAggregate = 1

// errorCode returns the name code for an error name; unknown names are 0.
func errorCode(name string) uint64 {
	for i, n := range errorNames {
		if i > 0 && n == name {
			return uint64(i)
		}
	}
	return 0
}

// Version 1 property key kinds and array layouts.
const (
	keyIndex         = 1
	keyName          = 2
	keyNameReference = 3

	layoutDense  = 1
	layoutSparse = 2
)

// maxCount is compact-encoding's array limit ("Array is too big").
const maxCount = 0x100000

// maxIndex is the largest array index.
const maxIndex = 0xFFFFFFFE
