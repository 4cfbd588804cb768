package channel

import (
	"errors"
	"sync/atomic"

	"github.com/uvpipe/uvpipe/uv"
)

// Errors of the channel and its ports.
var (
	// ErrFullyConnected is returned by a third Connect: a channel has two
	// ends.
	ErrFullyConnected = errors.New("channel: already fully connected")
	// ErrEnded is returned by a write once the other end has ended (closed,
	// or its loop closed): nothing more can reach it.
	ErrEnded = errors.New("channel: the other end has ended")
	// ErrFull is returned by TryWrite while the other end's queue is full.
	ErrFull = errors.New("channel: the other end's queue is full")
)

// Channel is a point-to-point channel between two loops: each of its two
// ends is connected on a loop and becomes a Port bound to that loop. A
// Channel is a plain Go value: hand it to the goroutine or the code that
// runs the other loop, which connects the other end.
type Channel struct {
	next atomic.Int32
	dirs [2]direction // dirs[i] carries the values to port i
}

// direction is one way of a channel: the values written by one port and
// not yet read by the other, and how each side wakes the other.
type direction struct {
	ring
	readable signal // the receiving port's reader waits for a value or the end
	writable signal // the sending port's writer waits for room
	rsem     chan struct{}
	wsem     chan struct{}
	ended    atomic.Bool          // the sender ended: the receiver sees it once the ring is empty
	closed   atomic.Bool          // the receiver ended: writes fail, values are discarded
	pending  atomic.Bool          // a data wake-up of the receiver's loop is outstanding
	recv     atomic.Pointer[Port] // the receiving port, once connected
}

// New makes a channel with neither end connected.
func New() *Channel {
	c := &Channel{}
	for i := range c.dirs {
		d := &c.dirs[i]
		d.readable, d.writable = newSignal(), newSignal()
		d.rsem, d.wsem = make(chan struct{}, 1), make(chan struct{}, 1)
	}
	return c
}

// Connect connects the next end of the channel on loop l (the default loop
// if nil) and returns it as a Port bound to l. Values written to the other
// end before this one connects wait for it. A third Connect returns
// ErrFullyConnected.
func (c *Channel) Connect(l *uv.Loop) (*Port, error) {
	if l == nil {
		l = uv.Default()
	}
	id := c.next.Add(1) - 1
	if id >= 2 {
		return nil, ErrFullyConnected
	}
	p := &Port{loop: l, in: &c.dirs[id], out: &c.dirs[1-id], done: make(chan struct{})}
	a, err := uv.NewAsync(l, p.onAsync)
	if err != nil {
		// This end can never be used: the other one sees it ended.
		p.out.ended.Store(true)
		p.in.closed.Store(true)
		p.out.notifyEnd()
		return nil, err
	}
	p.async = a
	a.OnClose(p.handleClosed)
	p.in.recv.Store(p)
	// As bare-channel's initial flush: pick up what was written, or an end,
	// before this end connected.
	a.Send()
	return p, nil
}

// notifyData wakes the receiver after a push: its waiting reader, and its
// loop when it reads in the event style (coalesced).
func (d *direction) notifyData() {
	d.readable.fire()
	if r := d.recv.Load(); r != nil && r.handled.Load() && d.pending.CompareAndSwap(false, true) {
		r.async.Send()
	}
}

// notifyEnd wakes every waiter on the direction after an end on either side.
func (d *direction) notifyEnd() {
	d.readable.wake()
	d.writable.wake()
	if r := d.recv.Load(); r != nil {
		r.async.Send()
	}
}
