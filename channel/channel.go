package channel

import (
	"errors"
	"fmt"
	"net"
	"runtime"
	"sync"
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
//
// Values written toward an end that is never connected wait for it. They
// are released (moved handles closed, see Attacher.Close) once the channel
// can never deliver them: when Close gives up on that end, or when the
// Channel has become unreachable, so nothing can connect it any more (a
// cleanup registered with runtime.AddCleanup does then what Close does).
type Channel struct {
	mu     sync.Mutex    // orders Connect and Close
	next   int           // under mu: the next end to connect
	closed bool          // under mu
	dirs   [2]*direction // dirs[i] carries the values to port i
	cfg    Config        // how values are copied and assigned
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
	claimed  atomic.Bool          // a Connect took the receiving end
}

// New makes a channel with neither end connected.
func New() *Channel {
	c := &Channel{}
	for i := range c.dirs {
		c.dirs[i] = &direction{
			readable: newSignal(), writable: newSignal(),
			rsem: make(chan struct{}, 1), wsem: make(chan struct{}, 1),
		}
	}
	runtime.AddCleanup(c, abandonUnclaimed, c.dirs)
	return c
}

// errChannelClosed is returned by Connect after Channel.Close.
var errChannelClosed = fmt.Errorf("channel: Connect after Channel.Close: %w", net.ErrClosed)

// Connect connects the next end of the channel on loop l (the default loop
// if nil) and returns it as a Port bound to l. Values written to the other
// end before this one connects wait for it. A third Connect returns
// ErrFullyConnected, and a Connect after Close an error that is
// net.ErrClosed.
func (c *Channel) Connect(l *uv.Loop) (*Port, error) {
	if l == nil {
		l = uv.Default()
	}
	c.mu.Lock()
	id, closed := c.next, c.closed
	if id < 2 && !closed {
		c.next++
		c.dirs[id].claimed.Store(true)
	}
	c.mu.Unlock()
	if id >= 2 {
		return nil, ErrFullyConnected
	}
	if closed {
		return nil, errChannelClosed
	}
	p := &Port{loop: l, in: c.dirs[id], out: c.dirs[1-id], clone: c.cfg.Clone, assign: c.cfg.Assign, done: make(chan struct{})}
	a, err := uv.NewAsync(l, p.onAsync)
	if err != nil {
		// This end can never be used: the other one sees it ended, and
		// what it wrote here is released.
		p.out.ended.Store(true)
		p.out.notifyEnd()
		p.in.abandon()
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

// Close gives up on the ends of the channel not connected yet: Connect
// fails from now on, the values written toward them are released (moved
// handles closed) and writes toward them fail with ErrEnded, as if they
// had connected and closed at once. Ports already connected are left as
// they are: close them with Port.Close. Closing twice does nothing.
func (c *Channel) Close() error {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	abandonUnclaimed(c.dirs)
	return nil
}

// abandonUnclaimed ends the ends that no Connect took, as if each had
// connected and closed at once: what was written to it is released, and
// the other end reads io.EOF. Once the channel is closed or unreachable,
// no Connect can take them any more.
func abandonUnclaimed(dirs [2]*direction) {
	for i, d := range dirs {
		if !d.claimed.Load() {
			d.abandon()
			dirs[1-i].ended.Store(true)
			dirs[1-i].notifyEnd()
		}
	}
}

// abandon ends a direction whose receiver will never read: its writer's
// waits end with ErrEnded, and what it holds, or is written to it from now
// on, is released.
func (d *direction) abandon() {
	d.closed.Store(true)
	d.writable.wake()
	d.discard()
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

// discard empties the direction after its receiver closed: values are
// dropped and moved handles closed.
func (d *direction) discard() {
	d.rsem <- struct{}{}
	defer func() { <-d.rsem }()
	for {
		v, ok := d.pop()
		if !ok {
			return
		}
		drop(v)
	}
}
