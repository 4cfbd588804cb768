package channel

import (
	"context"
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"

	"github.com/uvpipe/uvpipe/uv"
)

// Port is one connected end of a Channel, bound to a loop. Its methods may
// be called from any goroutine; inside a handler of its loop (or of the
// other end's loop) they never wait.
//
// A port keeps its loop alive (uv.Loop.Refs counts it) until it is closed,
// it has seen the other end's end, or Unref is called.
type Port struct {
	loop   *uv.Loop
	async  *uv.Async // wakes the loop for the event style and for ends
	in     *direction
	out    *direction
	clone  func(any) (any, error)   // Config.Clone
	assign func(src, dst any) error // Config.Assign

	mu      sync.Mutex // guards handler and the end state
	handler func(v any, err error)
	handled atomic.Bool
	ending  bool // Close or the other end's end started closing the port
	eof     bool // the other end's end was seen: reads give io.EOF
	done    chan struct{}
}

// Loop returns the loop the port is bound to.
func (p *Port) Loop() *uv.Loop { return p.loop }

// Done is closed once the port has closed (bare-channel's 'close'): after
// Close, after the other end's end was read, or when its loop closed.
func (p *Port) Done() <-chan struct{} { return p.done }

// mustNotWait reports whether the calling goroutine runs under the lock of
// this end's loop or the other end's: there a wait could never end.
func (p *Port) mustNotWait() bool {
	if p.loop.InLoop() {
		return true
	}
	r := p.out.recv.Load()
	return r != nil && r.loop.InLoop()
}

// Write writes v to the other end, waiting while its queue is full (but
// not inside a handler: there it returns uv.ErrWouldBlock). It returns
// once v is queued, not when it is read. v passes by reference, as over a Go
// channel: the reader gets the same pointer, map or slice, so the writer
// must not change what v refers to afterwards; on a channel whose Config
// has a Clone hook, the copy Clone makes is sent instead (an error wrapping
// ErrNotClonable if it cannot be made, nothing sent). Handles that live on a loop (see
// Transferable) are moved to the reader's loop instead. nil is a value like
// any other.
//
// Write returns ErrEnded once the other end has ended, net.ErrClosed once
// this end is closed, or ctx's error.
func (p *Port) Write(ctx context.Context, v any) error {
	select {
	case p.out.wsem <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-p.out.wsem }()
	for {
		if err := p.writeErr(); err != nil {
			return err
		}
		if p.out.len() < Capacity {
			return p.push(v)
		}
		if p.mustNotWait() {
			return uv.ErrWouldBlock
		}
		p.out.writable.arm()
		if p.out.len() < Capacity || p.writeErr() != nil {
			p.out.writable.disarm()
			continue
		}
		select {
		case <-p.out.writable.ch:
		case <-ctx.Done():
			p.out.writable.disarm()
			return ctx.Err()
		}
	}
}

// TryWrite writes v if the other end's queue has room, and returns ErrFull
// at once if it has not. Otherwise it is Write.
func (p *Port) TryWrite(v any) error {
	select {
	case p.out.wsem <- struct{}{}:
	default:
		return ErrFull // another write is under way: the queue is full
	}
	defer func() { <-p.out.wsem }()
	if err := p.writeErr(); err != nil {
		return err
	}
	if p.out.len() >= Capacity {
		return ErrFull
	}
	return p.push(v)
}

func (p *Port) writeErr() error {
	if p.out.closed.Load() {
		return ErrEnded
	}
	if p.in.closed.Load() {
		return net.ErrClosed
	}
	return nil
}

// push queues v, which has room; the caller holds the write lock.
func (p *Port) push(v any) error {
	if p.clone != nil {
		c, err := cloneValue(v, p.clone)
		if err != nil {
			return err
		}
		v = c
	}
	item, err := detach(v)
	if err != nil {
		return err
	}
	p.out.push(item)
	if p.out.closed.Load() {
		// The other end closed meanwhile and may have emptied its queue
		// already: take back what nobody will read.
		p.out.discard()
		return ErrEnded
	}
	p.out.notifyData()
	return nil
}

// Read returns the next value the other end wrote, waiting for one (but not
// inside a handler: there it returns uv.ErrWouldBlock). It returns io.EOF
// once the other end has ended and everything it wrote was read,
// net.ErrClosed once this end is closed, or ctx's error. A handle moved by
// the channel arrives live on this port's loop.
func (p *Port) Read(ctx context.Context) (any, error) {
	select {
	case p.in.rsem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	v, err := p.read(ctx)
	<-p.in.rsem
	if err == io.EOF {
		p.remoteEnded()
		return nil, io.EOF
	}
	if err != nil {
		return nil, err
	}
	return attach(v, p.loop)
}

// read takes the next value, waiting for it; the caller holds the read lock.
func (p *Port) read(ctx context.Context) (any, error) {
	for {
		v, ok, err := p.take()
		if ok || err != nil {
			if ok && p.in.len() > 0 {
				// Another reader may wait behind this one.
				p.in.readable.wake()
			}
			return v, err
		}
		if p.mustNotWait() {
			return nil, uv.ErrWouldBlock
		}
		if spin(p.readable) {
			continue
		}
		p.in.readable.arm()
		if v, ok, err := p.take(); ok || err != nil {
			p.in.readable.disarm()
			return v, err
		}
		select {
		case <-p.in.readable.ch:
		case <-ctx.Done():
			p.in.readable.disarm()
			return nil, ctx.Err()
		}
	}
}

// readable reports whether a read would not wait: a value or an end is
// there, or the port changed mode.
func (p *Port) readable() bool {
	return p.in.len() > 0 || p.in.ended.Load() || p.in.closed.Load() || p.handled.Load()
}

// errHandler is returned by Read while an event handler takes the values.
var errHandler = errors.New("channel: Read on a port with a message handler (OnMessage)")

// take pops the next value without waiting; ok is false when there is none
// yet. The caller holds the read lock.
func (p *Port) take() (v any, ok bool, err error) {
	if p.handled.Load() {
		return nil, false, errHandler
	}
	if p.in.closed.Load() {
		if p.isEOF() {
			return nil, false, io.EOF
		}
		return nil, false, net.ErrClosed
	}
	ended := p.in.ended.Load() // before the pop: all it wrote came before
	if v, ok := p.in.pop(); ok {
		p.in.writable.fire()
		return v, true, nil
	}
	if ended {
		return nil, false, io.EOF
	}
	return nil, false, nil
}

func (p *Port) isEOF() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.eof
}
