package channel

import "github.com/uvpipe/uvpipe/uv"

// detach turns a value about to be written into what crosses the channel.
// (Handles that live on a loop are moved; see Transferable.)
func detach(v any) (any, error) { return v, nil }

// attach turns what crossed the channel into the value the reader gets on
// loop l.
func attach(v any, l *uv.Loop) (any, error) { return v, nil }

// drop releases a value that will never be read.
func drop(v any) {}
