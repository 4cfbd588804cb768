package channel

import (
	"context"
	"fmt"
	"io"
	"iter"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

// ReadValues returns the port as a typed value stream for a range loop:
// each value read, as a T, with a nil error, until the other end's end
// (the loop then stops, with no error) or a failure, given once as the last
// pair's error (ctx's error, net.ErrClosed, a value that is not a T).
// A value that is a T is given as it is; any other is stored into a T as
// jsvalue.Assign stores a model value (what a cloning channel delivers: a
// *jsvalue.Object into a struct or a map, a float64 into an int). Breaking
// out of the loop leaves the port open.
func ReadValues[T any](ctx context.Context, p *Port) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for {
			v, err := p.Read(ctx)
			var t T
			if err == nil {
				t, err = as[T](v)
			}
			if err != nil {
				if err != io.EOF {
					yield(t, err)
				}
				return
			}
			if !yield(t, nil) {
				return
			}
		}
	}
}

// as gives v as a T: itself if it is one, else stored into one.
func as[T any](v any) (T, error) {
	if t, ok := v.(T); ok {
		return t, nil
	}
	var t T
	if err := jsvalue.Assign(v, &t); err != nil {
		return t, fmt.Errorf("channel: a %T read where a %T was expected: %w", v, t, err)
	}
	return t, nil
}

// WriteValues writes every value of seq to the port in order, as Write
// does, and returns the first error (stopping the sequence there). It
// leaves the port open: Close it to end the stream.
func WriteValues[T any](ctx context.Context, p *Port, seq iter.Seq[T]) error {
	for v := range seq {
		if err := p.Write(ctx, v); err != nil {
			return err
		}
	}
	return nil
}
