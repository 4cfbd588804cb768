package pipe

import "github.com/uvpipe/uvpipe/uv"

// Detached is a Pipe taken off its loop by Detach, to live on another loop
// (Attach): its fd, the bytes read and not yet returned, and its Config.
type Detached struct {
	d   *uv.Detached
	cfg Config
}

// Detach takes the pipe off its loop, as uv.Pipe.Detach: queued writes are
// waited for, the pipe closes without closing its fd, and what it had read
// and not returned goes with the Detached. The pipe returns net.ErrClosed
// from then on.
func (p *Pipe) Detach() (*Detached, error) {
	d, err := p.p.Detach()
	if err != nil {
		return nil, p.opError("detach", err)
	}
	p.closed.Store(true)
	p.forget()
	return &Detached{d: d, cfg: p.cfg}, nil
}

// Attach makes the detached pipe live on loop l (the default loop if nil),
// with the Config it had: a Pipe that returns first the bytes the old one
// had read. Attach once.
func (d *Detached) Attach(l *uv.Loop) (*Pipe, error) {
	if l == nil {
		l = uv.Default()
	}
	h, err := d.d.Attach(l)
	if err != nil {
		return nil, openError(err)
	}
	cfg := d.cfg
	cfg.Loop = l
	return wrap(h.(*uv.Pipe), cfg), nil
}

// Close closes the fd of a pipe never attached.
func (d *Detached) Close() error { return d.d.Close() }
