package jsc

import "github.com/uvpipe/uvpipe/ipc/jsvalue"

// Version is the format version Marshal writes: the one Bun 1.4.5's
// JavaScriptCore writes and the newest it reads.
const Version = 14

// OldestVersion is the oldest format version Decode reads. JavaScriptCore
// reads every version up to its own; before version 10, ArrayBuffer lengths
// and view offsets and lengths are 32-bit rather than 64-bit.
const OldestVersion = 0

// versionWideLengths is the first version with 64-bit buffer lengths.
const versionWideLengths = 10

// Tags: one byte before each value. The numbers are JavaScriptCore's
// SerializationTag; Bun numbers its own types down from 254.
const (
	tagArray                   = 1
	tagObject                  = 2
	tagUndefined               = 3
	tagNull                    = 4
	tagInt                     = 5
	tagZero                    = 6
	tagOne                     = 7
	tagFalse                   = 8
	tagTrue                    = 9
	tagDouble                  = 10
	tagDate                    = 11
	tagFile                    = 12
	tagFileList                = 13
	tagImageData               = 14
	tagBlob                    = 15
	tagString                  = 16
	tagEmptyString             = 17
	tagRegExp                  = 18
	tagObjectReference         = 19
	tagMessagePortReference    = 20
	tagArrayBuffer             = 21
	tagArrayBufferView         = 22
	tagArrayBufferTransfer     = 23
	tagTrueObject              = 24
	tagFalseObject             = 25
	tagStringObject            = 26
	tagEmptyStringObject       = 27
	tagNumberObject            = 28
	tagSet                     = 29
	tagMap                     = 30
	tagNonMapProperties        = 31
	tagNonSetProperties        = 32
	tagCryptoKey               = 33
	tagSharedArrayBuffer       = 34
	tagWasmModule              = 35
	tagDOMPointReadOnly        = 36
	tagDOMQuad                 = 42
	tagImageBitmapTransfer     = 43
	tagRTCCertificate          = 44
	tagImageBitmap             = 45
	tagOffscreenCanvasTransfer = 46
	tagBigInt                  = 47
	tagBigIntObject            = 48
	tagWasmMemory              = 49
	tagRTCDataChannelTransfer  = 50
	tagDOMException            = 51
	tagVideoChunk              = 52
	tagVideoFrame              = 53
	tagResizableArrayBuffer    = 54
	tagErrorInstance           = 55

	tagBunTransformStream = 247
	tagBunWritableStream  = 248
	tagBunReadableStream  = 249
	tagBunHistogram       = 250
	tagBunBlockList       = 251
	tagBunKeyObject       = 252
	tagBunX509            = 253
	tagBunBlob            = 254
)

// 32-bit markers read where a property name (StringData) or an array index
// is expected.
const (
	markTerminator       = 0xFFFFFFFF // end of an object's, array's, map's or set's members
	markStringPool       = 0xFFFFFFFE // a string already written: its pool index follows
	markNonIndexProps    = 0xFFFFFFFD // in an array: named properties follow
	flagLatin1           = 0x80000000 // set in a StringData length: one byte per character
	maxStringUnits       = 0x3FFFFFFF // JavaScriptCore refuses lengths from INT32_MAX/2 on
	autoLengthMarker     = ^uint64(0) // a view that tracks a resizable buffer's length
	bigIntMaxWords       = 1 << 24    // JSBigInt's limit (maxLength) is far below this
	maxArrayIndexPlusOne = 1 << 32
)

// Subtags of an ArrayBufferView: JavaScriptCore's ArrayBufferViewSubtag.
var subtagKinds = [...]jsvalue.TypedArrayKind{
	0:  jsvalue.KindDataView,
	1:  jsvalue.KindInt8,
	2:  jsvalue.KindUint8,
	3:  jsvalue.KindUint8Clamped,
	4:  jsvalue.KindInt16,
	5:  jsvalue.KindUint16,
	6:  jsvalue.KindInt32,
	7:  jsvalue.KindUint32,
	8:  jsvalue.KindFloat32,
	9:  jsvalue.KindFloat64,
	10: jsvalue.KindBigInt64,
	11: jsvalue.KindBigUint64,
	12: jsvalue.KindFloat16,
}

// subtagOf returns the subtag of a typed array kind.
func subtagOf(k jsvalue.TypedArrayKind) (byte, bool) {
	for i, kk := range subtagKinds {
		if kk == k {
			return byte(i), true
		}
	}
	return 0, false
}

// Error types: JavaScriptCore's SerializableErrorType, one byte.
var errorNames = [...]string{
	jsvalue.ErrorNameError,
	jsvalue.ErrorNameEvalError,
	jsvalue.ErrorNameRangeError,
	jsvalue.ErrorNameReferenceError,
	jsvalue.ErrorNameSyntaxError,
	jsvalue.ErrorNameTypeError,
	jsvalue.ErrorNameURIError,
}

// tagNames names the tags the decoder refuses, for error messages.
var tagNames = map[byte]string{
	tagFile:                    "File",
	tagFileList:                "FileList",
	tagImageData:               "ImageData",
	tagBlob:                    "Blob",
	tagMessagePortReference:    "MessagePort",
	tagArrayBufferTransfer:     "transferred ArrayBuffer",
	tagCryptoKey:               "CryptoKey",
	tagSharedArrayBuffer:       "SharedArrayBuffer",
	tagWasmModule:              "WebAssembly.Module",
	tagImageBitmapTransfer:     "transferred ImageBitmap",
	tagRTCCertificate:          "RTCCertificate",
	tagImageBitmap:             "ImageBitmap",
	tagOffscreenCanvasTransfer: "transferred OffscreenCanvas",
	tagWasmMemory:              "WebAssembly.Memory",
	tagRTCDataChannelTransfer:  "transferred RTCDataChannel",
	tagDOMException:            "DOMException",
	tagVideoChunk:              "EncodedVideoChunk",
	tagVideoFrame:              "VideoFrame",
	tagResizableArrayBuffer:    "resizable ArrayBuffer",
	tagBunTransformStream:      "transferred TransformStream",
	tagBunWritableStream:       "transferred WritableStream",
	tagBunReadableStream:       "transferred ReadableStream",
	tagBunHistogram:            "perf_hooks Histogram",
	tagBunBlockList:            "net.BlockList",
	tagBunKeyObject:            "KeyObject",
	tagBunX509:                 "X509Certificate",
	tagBunBlob:                 "Blob (Bun)",
}

// notPortable lists the tags whose payload is an index into tables that
// exist only inside the sending process (transferred and shared objects).
var notPortable = map[byte]bool{
	tagMessagePortReference:    true,
	tagArrayBufferTransfer:     true,
	tagSharedArrayBuffer:       true,
	tagWasmModule:              true,
	tagWasmMemory:              true,
	tagImageBitmapTransfer:     true,
	tagOffscreenCanvasTransfer: true,
	tagRTCDataChannelTransfer:  true,
	tagVideoChunk:              true,
	tagVideoFrame:              true,
	tagBunTransformStream:      true,
	tagBunWritableStream:       true,
	tagBunReadableStream:       true,
}
