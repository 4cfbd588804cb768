package v8

// DecodeOptions are settings for decoding bytes the caller holds. The zero
// value decodes as Decode and Unmarshal do.
type DecodeOptions struct {
	// AliasInput makes decoded Buffers ([]byte), ArrayBuffers and the bytes
	// of typed arrays sub-slices of data instead of copies, as Node's
	// deserializer returns Buffers that are views into the message: no copy,
	// no allocation for the bytes.
	//
	// The returned []byte values share memory with data: do not modify or
	// reuse data while you hold them (writing into them writes into data).
	// Each has its capacity cut to its length, so appending to one never
	// writes into data. Empty values are fresh slices, as without it.
	AliasInput bool
}

// Decode decodes one V8 serialized value as the package's Decode does, with
// the options of o.
func (o DecodeOptions) Decode(data []byte) (any, error) {
	v, _, err := decodeValue(data, DefaultMaxDepth, o.AliasInput)
	return v, err
}

// Unmarshal decodes one V8 serialized value and stores it in v as the
// package's Unmarshal does, with the options of o. jsvalue.Assign copies the
// bytes it stores into a []byte, so AliasInput matters only for values that
// keep the model (an *any, or an `any` inside v).
func (o DecodeOptions) Unmarshal(data []byte, v any) error {
	_, err := unmarshal(data, v, DefaultMaxDepth, o.AliasInput)
	return err
}
