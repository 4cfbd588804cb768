package nodeipc

import (
	"context"
	"os/exec"
	"sync"
	"sync/atomic"

	"github.com/uvpipe/uvpipe/internal/wait"
	"github.com/uvpipe/uvpipe/pipe"
)

// inboxSize is how many received messages wait for Recv before the channel
// stops reading from the socket (and the peer's writes back up).
const inboxSize = 64

// Channel is one end of a Node child_process IPC channel: the parent's
// (Start) or the child's (FromEnv, Open). Its methods are safe for
// concurrent use.
type Channel struct {
	p     *pipe.Pipe
	mode  Serialization
	wire  wire // what Send writes; changed by the reader once (detection), under wmu
	max   int
	cmd   *exec.Cmd     // the child, for the parent's Wait
	child *startedChild // what Wait releases besides cmd (parent_windows.go); nil on unix
	// bunPid, on Windows with a bun.exe peer, is that process: handles go to
	// it in Bun's own field of the message (bunsocket_windows.go). 0 else.
	bunPid uint32

	wmu        sync.Mutex
	sendClosed bool        // Disconnect called, or the channel ended
	written    int         // messages written in the wire guessed, before the peer's first bytes
	misguessed int         // messages written in another wire than the peer's, found by detection
	draining   bool        // Disconnect waits for the handle queue to drain
	pending    *outgoing   // a sent handle awaiting NODE_HANDLE_ACK
	queue      []*outgoing // sends held back until then
	outcomes   []outcome   // settled messages whose outcome is yet to be reported
	onSendErr  func(*SendError)
	wbuf       []byte // Send's encoding buffer

	done chan struct{}    // closed when the reading side has ended
	bg   *wait.Background // reads while no goroutine does (turn.go)

	// The reading side (turn.go): one goroutine at a time holds the turn
	// and uses r.
	r         *reader
	rmu       sync.Mutex
	items     []item        // received messages and non-fatal errors, from head on
	head      int           // the first item not yet taken
	overBytes int64         // the over bytes of the items beyond the inbox's size
	reading   bool          // a goroutine holds the turn
	waiting   int           // goroutines waiting for the turn to end
	turnDone  chan struct{} // closed when the turn ends; nil until waited for
	rended    bool          // the reading side has ended: no more turns

	hmu     sync.Mutex
	handler Handler     // takes the messages instead of Recv, when set
	handled atomic.Bool // handler is set (read without hmu by Recv)

	sockets socketList // the sockets received with a key (socketlist.go)

	once sync.Once
	emu  sync.Mutex
	end  error // why the channel ended: io.EOF, ErrChannelClosed, a fatal error
}

// item is one thing Recv returns.
type item struct {
	m    Message
	err  error
	over int64 // the stream bytes of a message the inbox holds beyond its size
}

// Open makes a channel over fd, an inherited or otherwise open end of a unix
// socket pair whose peer speaks Node's IPC protocol in opts.Serialization.
// The channel owns fd once Open succeeds; on error fd is left open, the
// caller's, as package pipe's Config.Open leaves it (one rule for every fd a
// uvpipe function takes).
func Open(fd int, opts Options) (*Channel, error) {
	if err := checkOpen(fd); err != nil {
		return nil, err
	}
	mode, err := opts.serialization()
	if err != nil {
		return nil, err
	}
	rt, err := opts.runtime()
	if err != nil {
		return nil, err
	}
	detect := rt == ""
	if detect && mode == Advanced {
		rt = parentRuntime(fd)
	}
	bunPid := parentBunPid(fd, opts.Runtime)
	p, err := pipe.Config{IPC: true}.Open(fd)
	if err != nil {
		return nil, err
	}
	c := newChannel(p, mode, rt, detect, opts, nil)
	c.bunPid = bunPid
	return c, nil
}

// newChannel makes a channel over p. In Bun's advanced mode it writes Bun's
// version packet first, as Bun does once its channel is open.
func newChannel(p *pipe.Pipe, mode Serialization, rt Runtime, detect bool, opts Options, cmd *exec.Cmd) *Channel {
	c := &Channel{
		p:         p,
		mode:      mode,
		wire:      wireFor(mode, rt),
		max:       opts.maxMessageSize(),
		cmd:       cmd,
		onSendErr: opts.OnSendError,
		done:      make(chan struct{}),
	}
	if c.wire == wireBun {
		c.p.Write(bunVersionBytes[:]) //nolint:errcheck // a failure shows in the next Send and read
	}
	c.r = newReader(c)
	c.r.f.detect = detect && mode == Advanced
	c.rmu.Lock() // its lead reads c.bg
	c.bg = wait.StartBackground(wait.Owner{
		Lock:  &c.rmu,
		Busy:  func() bool { return c.reading || c.waiting > 0 || c.rended },
		Lead:  c.background,
		Ended: func() bool { return c.rended },
		First: wait.Grace,
	})
	c.rmu.Unlock()
	if opts.OnMessage != nil {
		c.OnMessage(opts.OnMessage) //nolint:errcheck // a fresh channel has no handler
	}
	return c
}

// Serialization returns the channel's serialization.
func (c *Channel) Serialization() Serialization { return c.mode }

// Runtime returns the runtime whose advanced format the channel speaks:
// Node or Bun, as Options.Runtime set it or detection decided so far; empty
// in json mode, where both speak the same.
func (c *Channel) Runtime() Runtime {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return c.runtimeLocked()
}

func (c *Channel) runtimeLocked() Runtime {
	switch c.wire {
	case wireV8:
		return Node
	case wireBun:
		return Bun
	}
	return ""
}

// switchWire makes the channel write w, the wire the peer's first bytes
// showed (Bun's version packet, or a V8 frame).
func (c *Channel) switchWire(w wire) {
	c.wmu.Lock()
	c.wire = w
	c.misguessed = c.written
	if w == wireBun { // Bun reads a version packet first; Bun itself never waits for one
		c.p.Write(bunVersionBytes[:]) //nolint:errcheck // a failure shows in the next Send
	}
	c.wmu.Unlock()
}

// Recv returns the next message, in the order the peer sent them. Internal
// messages (a cmd starting "NODE_") are handled by the channel and never
// returned. A message that cannot be decoded (a JSON line that does not
// parse, a line longer than the limit, an advanced payload that is not a
// valid V8 value) is returned as an error and the next Recv goes on with the
// next message. (The fate of a sent message is not told here: see
// SendOptions and Options.OnSendError.) When the channel has ended, Recv
// returns io.EOF if the peer disconnected, ErrChannelClosed if this side
// did, or the fatal error that ended it (a broken advanced frame, a read
// error), every time. Messages received before the peer disconnected are
// returned first. On a channel with a Handler, Recv returns ErrHandlerSet.
//
// With nothing received yet, Recv reads the socket itself, on the calling
// goroutine (see "Who reads" in the package doc); when ctx ends first it
// returns ctx.Err(), and nothing that read brought is lost. Recv may be
// called from several goroutines at once: each message goes to one of them.
func (c *Channel) Recv(ctx context.Context) (Message, error) {
	if c.hasHandler() {
		return Message{}, ErrHandlerSet
	}
	it, err := c.take(ctx)
	if err != nil {
		return Message{}, err
	}
	return it.m, it.err
}

// Disconnect closes the channel, as Node's disconnect(): sends fail with
// ErrChannelClosed from now on, and the peer sees the channel end. When a
// sent handle still awaits its acknowledgement, the messages queued behind
// it are sent first, and the channel closes once they are. Disconnecting
// twice returns ErrChannelClosed. Close releases everything at once.
func (c *Channel) Disconnect() error {
	c.wmu.Lock()
	if c.sendClosed {
		c.wmu.Unlock()
		return ErrChannelClosed
	}
	c.sendClosed = true
	if c.pending != nil {
		c.draining = true
		c.wmu.Unlock()
		return nil
	}
	c.wmu.Unlock()
	c.shutdown(ErrChannelClosed)
	return nil
}

// Close ends the channel at once and releases it: queued sends are dropped,
// received messages not yet returned by Recv are discarded (and their
// handles closed). It returns once the channel's goroutine has stopped.
// Closing twice does nothing.
func (c *Channel) Close() error {
	c.stopSending()
	c.shutdown(ErrChannelClosed)
	c.bg.Wait()
	c.sockets.wg.Wait()
	c.discardInbox()
	return nil
}

// stopSending makes sends fail from now on and drops the queued ones, each
// with ErrChannelClosed as its outcome.
func (c *Channel) stopSending() {
	c.wmu.Lock()
	c.sendClosed = true
	if c.pending != nil {
		c.settledLocked(c.pending, ErrChannelClosed)
	}
	for _, o := range c.queue {
		c.settledLocked(o, ErrChannelClosed)
	}
	c.queue = nil
	c.pending = nil
	c.wmu.Unlock()
	c.reportOutcomes()
}

// shutdown ends the channel once: records why, stops delivery and closes
// the socket, which ends the reader.
func (c *Channel) shutdown(why error) {
	c.once.Do(func() {
		c.setEnd(why)
		c.p.Close()
		c.bg.Quit(c.finishWhenFree)
	})
}

func (c *Channel) setEnd(err error) {
	c.emu.Lock()
	if c.end == nil {
		c.end = err
	}
	c.emu.Unlock()
}

func (c *Channel) endErr() error {
	c.emu.Lock()
	defer c.emu.Unlock()
	if c.end == nil {
		return ErrChannelClosed
	}
	return c.end
}

// discardInbox closes the handles of messages nobody will receive.
func (c *Channel) discardInbox() {
	c.rmu.Lock()
	items := c.items[c.head:]
	c.items, c.head = nil, 0
	c.rmu.Unlock()
	for _, it := range items {
		if it.m.Handle != nil {
			it.m.Handle.Close()
		}
	}
}
