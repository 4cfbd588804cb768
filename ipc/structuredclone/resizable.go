package structuredclone

// ResizableArrayBuffer is a resizable ArrayBuffer (new ArrayBuffer(n,
// {maxByteLength})): its current bytes and its maximum length. The shared
// jsvalue model has no such type, so the decoder returns this one for a
// RESIZABLEARRAYBUFFER and the encoder accepts it (or a pointer to it).
type ResizableArrayBuffer struct {
	Data          []byte
	MaxByteLength uint64
}
