package nodeipc

// CollectBuffers is collectBuffers for the external tests: the Buffers of
// a model value, as Bun's envelope lists them.
var CollectBuffers = collectBuffers
