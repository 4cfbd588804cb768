package channel

import (
	"context"
	"fmt"
	"io"
	"iter"
)

// ReadValues returns the port as a typed value stream for a range loop:
// each value read, as a T, with a nil error, until the other end's end
// (the loop then stops, with no error) or a failure, given once as the last
// pair's error (ctx's error, net.ErrClosed, a value that is not a T).
// A value that is a T is given as it is; any other is stored into a T by
// the channel's Config.Assign (jsvalue.Assign turns the model values of
// structuredclone.Clone back into a struct, a map, an int...), and is an
// error when Assign is nil. Breaking out of the loop leaves the port open.
func ReadValues[T any](ctx context.Context, p *Port) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for {
			v, err := p.Read(ctx)
			var t T
			if err == nil {
				t, err = as[T](v, p.assign)
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

// as gives v as a T: itself if it is one, else stored into one by assign
// (if there is one).
func as[T any](v any, assign func(src, dst any) error) (T, error) {
	if t, ok := v.(T); ok {
		return t, nil
	}
	var t T
	if assign == nil {
		return t, fmt.Errorf("channel: a %T read where a %T was expected", v, t)
	}
	if err := assign(v, &t); err != nil {
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
