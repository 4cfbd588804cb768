package nodeipc

import (
	"context"
	"sync"
	"time"

	"github.com/uvpipe/uvpipe/pipe"
)

// The channel has no reading goroutine of its own that hands messages to
// Recv: that hand-off (a goroutine switch, often a wake-up on another CPU)
// cost more than the round trip itself. Instead the goroutine that needs a
// message reads, as the uv loops are led (package uv): a Recv with nothing
// in the inbox takes the reader's turn, reads the socket on its own
// goroutine, answers the internal messages it meets (NODE_HANDLE_ACK,
// NODE_SOCKET_*), appends the others to the inbox and takes the first. A
// Recv that finds the turn taken waits for it to end (a follower) and looks
// again. A Handler's goroutine reads the same way.
//
// Node always reads its channel, so that acknowledgements and the queries
// of a peer's server are answered even while the program receives nothing.
// So does this package: when no goroutine has read for a grace period, the
// channel's background leader (internal/wait's Background, the policy uv's
// loops use too) takes the turn and reads until a Recv waits, the inbox is
// full or the channel ends. A Recv that comes while the background leader
// reads waits for that read; its next turns are its own again.

// take returns the next item of the inbox, reading the socket when it is
// empty and no other goroutine does. It returns ctx's error when ctx ends
// first, and the channel's end error once the channel has ended and the
// inbox is empty.
func (c *Channel) take(ctx context.Context) (item, error) {
	c.rmu.Lock()
	for {
		if c.queued() > 0 {
			it := c.popLocked()
			c.armLocked() // the inbox has room for the background leader
			c.rmu.Unlock()
			return it, nil
		}
		err := c.takeBlockedLocked(ctx)
		if err != nil {
			c.rmu.Unlock()
			return item{}, err
		}
	}
}

// takeBlockedLocked is take with an empty inbox: it takes the turn, or
// waits for the goroutine that has it, or returns why take cannot go on.
// Called, and returns, with rmu held. (No defer in take: it runs once per
// message.)
func (c *Channel) takeBlockedLocked(ctx context.Context) error {
	if c.rended {
		return c.endErr()
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if !c.reading {
		c.turn(ctx)
		return nil
	}
	return c.follow(ctx)
}

// queued is how many items wait in the inbox: items[head:]. Called with rmu
// held.
func (c *Channel) queued() int { return len(c.items) - c.head }

// popLocked takes the first item of the inbox, reusing its array: emptied,
// it starts again at 0; mostly consumed, its rest moves to the front.
func (c *Channel) popLocked() item {
	it := c.items[c.head]
	c.overBytes -= it.over
	c.items[c.head] = item{}
	c.head++
	switch {
	case c.head == len(c.items):
		c.items, c.head = c.items[:0], 0
	case c.head >= inboxSize:
		n := copy(c.items, c.items[c.head:])
		clear(c.items[n:])
		c.items, c.head = c.items[:n], 0
	}
	return it
}

// turn reads on the calling goroutine: one read of the socket (or the
// messages already buffered), handled. Called with rmu held and the turn
// free; returns with rmu held, the turn free again and its messages in the
// inbox. ctx ending interrupts the read.
func (c *Channel) turn(ctx context.Context) {
	c.reading = true
	room := inboxSize - c.queued()
	over := maxOverBytes - c.overBytes
	c.rmu.Unlock()
	done := ctx.Done()
	if done != nil { // a context that can never end needs no watch
		c.r.watch.startTurn(ctx, done)
	}
	out, ended := c.r.step(room, over)
	if done != nil {
		c.r.watch.endTurn()
	}
	c.rmu.Lock()
	c.reading = false
	c.items = append(c.items, out...)
	for _, it := range out {
		c.overBytes += it.over
	}
	clear(out)
	c.r.out = out[:0]
	if ended {
		c.finishLocked()
	} else {
		c.armLocked()
	}
	if c.turnDone != nil {
		close(c.turnDone)
		c.turnDone = nil
	}
}

// armLocked lets the background leader read once no goroutine has for a
// grace period. Called with rmu held.
func (c *Channel) armLocked() {
	if !c.rended {
		c.bg.Resume()
	}
}

// follow waits for the goroutine that holds the turn to end it. Called, and
// returns, with rmu held.
func (c *Channel) follow(ctx context.Context) error {
	if c.turnDone == nil {
		c.turnDone = make(chan struct{})
	}
	ch := c.turnDone
	c.waiting++
	c.rmu.Unlock()
	var err error
	select {
	case <-ch:
	case <-ctx.Done():
		err = ctx.Err()
	}
	c.rmu.Lock()
	c.waiting--
	return err
}

// startTurn makes a read in progress return when ctx, whose Done is done,
// ends (a read deadline in the past), until endTurn, which leaves no
// deadline. The watch on ctx stays registered after the turn, so that a
// program receiving with one long-lived context pays for it once; a watch
// that fires while no turn of its context runs does nothing. A turn whose
// context has no Done (it can never end) calls neither: no watch can fire
// for it, since none is active outside startTurn..endTurn.
func (w *ctxWatch) startTurn(ctx context.Context, done <-chan struct{}) {
	w.mu.Lock()
	w.active = done
	if done != w.done {
		if w.stop != nil {
			w.stop()
		}
		w.done = done
		w.stop = context.AfterFunc(ctx, func() { w.fire(done) })
	}
	w.mu.Unlock()
}

// ctxWatch is the context a reader's turn watches (startTurn).
type ctxWatch struct {
	p      *pipe.Pipe
	mu     sync.Mutex
	done   <-chan struct{} // the watched context's Done
	stop   func() bool     // unregisters the watch
	active <-chan struct{} // the Done of the context of the turn running
	set    bool            // fire set a read deadline
}

// fire interrupts the read of a turn running for the context whose Done is
// done.
func (w *ctxWatch) fire(done <-chan struct{}) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.active == done {
		w.p.SetReadDeadline(time.Unix(1, 0)) //nolint:errcheck // a closed pipe ends the read anyway
		w.set = true
	}
}

// endTurn ends the turn's watch, clearing the deadline fire set.
func (w *ctxWatch) endTurn() {
	w.mu.Lock()
	w.active = nil
	if w.set {
		w.set = false
		w.p.SetReadDeadline(time.Time{}) //nolint:errcheck // as in fire
	}
	w.mu.Unlock()
}

// release unregisters the watch.
func (w *ctxWatch) release() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.stop != nil {
		w.stop()
	}
	w.stop, w.done = nil, nil
}

// finishLocked marks the reading side ended, once: no turn is taken after
// it, the handles that came without a message are closed and Done is
// closed. Called with rmu held and the turn free.
func (c *Channel) finishLocked() {
	if c.rended {
		return
	}
	c.rended = true
	c.r.closeUnbound()
	c.r.watch.release()
	close(c.done)
	c.bg.Quit(nil)
}

// background is the background leader's lead (see the top of this file):
// it reads while nobody else does and the inbox has room. Called, and
// returns, with rmu held.
func (c *Channel) background() {
	for !c.reading && !c.rended && c.waiting == 0 && (c.queued() < inboxSize || c.overBytes < maxOverBytes) {
		c.turn(context.Background())
	}
}

// finishWhenFree ends the reading side once no turn runs: the background
// leader's last act after shutdown, so that a channel nobody reads ends too.
func (c *Channel) finishWhenFree() {
	c.rmu.Lock()
	for c.reading {
		c.follow(context.Background()) //nolint:errcheck // no deadline
	}
	c.finishLocked()
	c.rmu.Unlock()
}
