package structuredclone

import "math"

// Clone copies v deeply through the JavaScript value model, as bare-channel
// copies each value it carries: v is encoded as Marshal encodes it and the
// message decoded again, so the copy shares no memory with v, objects
// reached twice (through model pointers) stay shared and cycles through them
// are kept. The result is model values, as Decode returns them (a struct or
// map becomes a *jsvalue.Object, a number a float64); jsvalue.Assign stores
// them back into a Go type. A value the model cannot hold (a function, a Go
// channel, a complex number, an unsafe pointer, a cycle through plain Go
// pointers) is an error and nothing is copied.
//
// Clone has the signature of channel.Config's Clone hook:
// channel.Config{Clone: structuredclone.Clone} makes a channel that copies as
// bare-channel does.
func Clone(v any) (any, error) {
	b, err := Marshal(v, WithoutTransfer())
	if err != nil {
		return nil, err
	}
	d := Decoder{MaxSize: math.MaxInt}
	return d.Decode(b)
}
