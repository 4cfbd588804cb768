package channel

import (
	"github.com/uvpipe/uvpipe/pipe"
	"github.com/uvpipe/uvpipe/uv"
)

// Transferable is implemented by a value bound to a loop that moves to the
// reading port's loop when it is written to a channel, as bare-structured-
// clone's detach and attach: Write calls Detach on the writer's side, and
// the reader gets what Attach returns, called on the reading port's loop.
// *pipe.Pipe, *uv.TCP, *uv.UDP and *uv.Pipe move this way without
// implementing it: the reader gets a live handle of the same type on its own
// loop, with the bytes the old one had read and not returned, and the
// writer's handle is closed.
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
		var d *pipe.Detached
		if d, err = x.Detach(); err == nil {
			a = pipeAttacher{d}
		}
	case *uv.TCP:
		a, err = uvDetach(x.Detach())
	case *uv.UDP:
		a, err = uvDetach(x.Detach())
	case *uv.Pipe:
		a, err = uvDetach(x.Detach())
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

type pipeAttacher struct{ d *pipe.Detached }

func (p pipeAttacher) Attach(l *uv.Loop) (any, error) { return p.d.Attach(l) }
func (p pipeAttacher) Close() error                   { return p.d.Close() }

type uvAttacher struct{ d *uv.Detached }

func uvDetach(d *uv.Detached, err error) (Attacher, error) {
	if err != nil {
		return nil, err
	}
	return uvAttacher{d}, nil
}

func (u uvAttacher) Attach(l *uv.Loop) (any, error) { return u.d.Attach(l) }
func (u uvAttacher) Close() error                   { return u.d.Close() }
