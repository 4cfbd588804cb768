package channel

import (
	"github.com/uvpipe/uvpipe/pipe"
	"github.com/uvpipe/uvpipe/uv"
)

// Transferable is implemented by a value bound to a loop that moves to the
// reading port's loop when it is written to a channel, as bare-structured-
// clone's detach and attach: Write calls Detach on the writer's side, and
// the reader gets what Attach returns, called on the reading port's loop.
// *pipe.Pipe, *pipe.Server, *uv.TCP, *uv.UDP and *uv.Pipe (listeners
// among them) move this way without implementing it: the reader gets a
// live handle of the same type on its own loop, with the bytes the old one
// had read and not returned (a listener: the connections it had accepted
// and not handed out, and its backlog), and the writer's handle is closed.
//
// No loop's handler waits for another loop (see "Loops and locks" in package
// uv): inside a handler of one loop, a handle of another loop cannot be
// detached (Write returns uv.ErrWouldBlock and the handle stays as it was),
// and a moved handle cannot be attached to a port of another loop (Read
// returns uv.ErrWouldBlock and the moved handle is closed). Write and read
// such values from a goroutine, or from the handlers of their own loops.
type Transferable interface {
	Detach() (Attacher, error)
}

// Attacher is a detached value on its way to the reading port.
type Attacher interface {
	// Attach makes the value live on loop l, the reading port's loop. In
	// the event style it runs under l's lock.
	Attach(l *uv.Loop) (any, error)
	// Close releases the value when it will never be attached: the reading
	// end closed before reading it.
	Close() error
}

// transfer is what crosses the channel for a moved value.
type transfer struct{ a Attacher }

// detach turns a value about to be written into what crosses the channel.
func detach(v any) (any, error) {
	var a Attacher
	var err error
	switch x := v.(type) {
	case Transferable:
		a, err = x.Detach()
	case *pipe.Pipe:
		a, err = moving[*pipe.Pipe](x.Detach())
	case *pipe.Server:
		a, err = moving[*pipe.Server](x.Detach())
	case *uv.TCP:
		a, err = moving[uv.IPCAcceptable](x.Detach())
	case *uv.UDP:
		a, err = moving[uv.IPCAcceptable](x.Detach())
	case *uv.Pipe:
		a, err = moving[uv.IPCAcceptable](x.Detach())
	default:
		return v, nil
	}
	if err != nil {
		return nil, err
	}
	return transfer{a}, nil
}

// attach turns what crossed the channel into the value the reader gets on
// loop l.
func attach(v any, l *uv.Loop) (any, error) {
	t, ok := v.(transfer)
	if !ok {
		return v, nil
	}
	out, err := t.a.Attach(l)
	if err != nil {
		t.a.Close()
		return nil, err
	}
	return out, nil
}

// drop releases a value that will never be read.
func drop(v any) {
	if t, ok := v.(transfer); ok {
		t.a.Close()
	}
}

// detachedHandle is what the Detach methods of this module's handles
// return: a handle off its loop that attaches as a T.
type detachedHandle[T any] interface {
	Attach(l *uv.Loop) (T, error)
	Close() error
}

// attacher makes a detachedHandle an Attacher.
type attacher[T any] struct{ d detachedHandle[T] }

func (a attacher[T]) Attach(l *uv.Loop) (any, error) { return a.d.Attach(l) }
func (a attacher[T]) Close() error                   { return a.d.Close() }

// moving wraps what a handle's Detach returned.
func moving[T any, D detachedHandle[T]](d D, err error) (Attacher, error) {
	if err != nil {
		return nil, err
	}
	return attacher[T]{d}, nil
}
