package netipc

import (
	"errors"

	"github.com/uvpipe/uvpipe/pipe"
)

// readOnLoop switches p to the event style with fn as its read callback,
// after calling fn with held, the bytes a reader had already taken from
// the stream: those come before any the stream still holds, which OnRead
// hands over at once (and the end, if the reader already met it), so both
// happen under one hold of the loop.
func readOnLoop(p *pipe.Pipe, held []byte, fn func([]byte, error)) error {
	var err error
	derr := p.UV().Loop().Do(func() {
		if len(held) > 0 {
			fn(held, nil)
		}
		err = p.OnRead(fn)
	})
	return errors.Join(derr, err)
}
