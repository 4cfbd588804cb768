package nodeipc

import (
	"fmt"
	"io"

	"github.com/uvpipe/uvpipe/uv"
)

// outgoing is one encoded message waiting to be written, with its handle.
type outgoing struct {
	data     []byte
	value    any // the message as given, for its SendError
	handle   any
	kind     handleKind
	keepOpen bool
	retrans  int
	done     chan<- error // where its outcome goes (SendOptions.Done), or nil
	wait     chan error   // SendOptions.Wait's, or nil
}

// SendOptions tune SendHandle.
type SendOptions struct {
	// KeepOpen keeps a sent connection (a net.Socket) usable by the sender,
	// as Node's keepOpen. Without it the channel closes the sender's
	// connection once the peer acknowledged it, as Node does, so that the
	// receiver alone serves it. Listeners and UDP sockets are never closed.
	KeepOpen bool
	// Wait makes SendHandle return the outcome of its own handle: nil once
	// the peer acknowledged it (NODE_HANDLE_ACK), or a *SendError when the
	// peer gave it up (ErrHandleNotReceived), its queued write failed, or
	// the channel ended before it was acknowledged (ErrChannelClosed).
	// Without Wait, SendHandle returns once the message is written or
	// queued. The wait ends at the latest when the channel ends.
	Wait bool
	// Done, when not nil, receives the same outcome as Wait gives, exactly
	// once for a message SendHandle took (one it did not refuse at once with
	// an error of its own); select on it beside a context to bound the wait. It is sent to without blocking, from the
	// goroutine that handles the peer's answer, so it must have room (a
	// buffer of one per message sent with it); an outcome that finds no
	// room is dropped.
	Done chan<- error
}

// Send sends v: a value of the jsvalue model or an ordinary Go value
// (converted as jsvalue.FromGo does), written as the channel's serialization
// writes it. An encoding error is returned at once and nothing is sent.
//
// While a handle sent earlier awaits the peer's acknowledgement, v is queued
// behind it and Send returns nil, as Node queues; should a queued message
// later fail to be written, or be dropped when the channel ends, that
// failure is a *SendError naming v, given to Options.OnSendError (never to
// a later Send or to Recv). After Disconnect, or once the peer has gone,
// Send returns ErrChannelClosed.
func (c *Channel) Send(v any) error {
	c.wmu.Lock()
	err := c.sendLocked(v)
	c.wmu.Unlock() // not deferred: Send runs once per message
	return err
}

// sendLocked encodes v and writes or queues it. Called with wmu held.
func (c *Channel) sendLocked(v any) error {
	// Encoded into the channel's own buffer: written at once, which is the
	// usual case, the message needs no memory of its own.
	data, err := encode(c.wbuf[:0], c.wire, v)
	if err != nil {
		return fmt.Errorf("nodeipc: %w", err)
	}
	if cap(data) <= maxKeptSendBuffer {
		c.wbuf = data[:0]
	}
	if c.pending == nil && !c.sendClosed {
		return c.writeData(data) // the usual case: nothing to queue behind
	}
	if c.pending != nil && !c.sendClosed {
		data = append([]byte(nil), data...) // queued: its own copy
	}
	return c.submitLocked(&outgoing{data: data, value: v})
}

// maxKeptSendBuffer bounds the encoding buffer a channel keeps between
// sends.
const maxKeptSendBuffer = 64 << 10

// SendHandle sends v together with h, as Node's send(message, handle): the
// peer receives v with the handle (Message.Handle). h is what
// pipe.Pipe.WriteHandle accepts and is a socket: a *net.TCPConn or
// *net.UnixConn (sent as a net.Socket), a *net.TCPListener or
// *net.UnixListener (a net.Server), a *net.UDPConn (a dgram.Socket), a
// *pipe.Pipe over a unix socket, a uv TCP, Pipe or UDP handle, or an *os.File
// holding a socket. Anything else, files and ttys above all (Node aborts on
// them), is refused with an error wrapping ErrNotSocket or saying why.
//
// The message travels wrapped as Node wraps it, {cmd:"NODE_HANDLE", type,
// msg}, with the fd riding on that write. Later sends queue until the peer
// answers NODE_HANDLE_ACK; a NODE_HANDLE_NACK makes the channel send the
// handle again, up to 3 times, after which the handle is given up
// (ErrHandleNotReceived). The sender keeps its own copy of h, except as
// SendOptions.KeepOpen says.
//
// SendHandle returns once the message is written or queued, with an error
// only for a failure it met itself. What becomes of the handle afterwards is
// this message's outcome: SendOptions.Wait returns it, SendOptions.Done
// receives it, and without either a failure goes to Options.OnSendError as a
// *SendError naming v and h; it never reaches Recv or a later Send.
func (c *Channel) SendHandle(v any, h any, opts SendOptions) error {
	k, err := kindOf(h)
	if err != nil {
		return err
	}
	c.wmu.Lock()
	w := c.wire
	c.wmu.Unlock()
	data, err := encode(nil, w, handleWrapper(v, k))
	if err != nil {
		return fmt.Errorf("nodeipc: %w", err)
	}
	o := &outgoing{data: data, value: v, handle: h, kind: k, keepOpen: opts.KeepOpen, done: opts.Done}
	if opts.Wait {
		o.wait = make(chan error, 1)
	}
	if err := c.submit(o); err != nil {
		return err
	}
	if o.wait == nil {
		return nil
	}
	return <-o.wait
}

// submit writes o now, or queues it behind a handle awaiting its ACK.
func (c *Channel) submit(o *outgoing) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return c.submitLocked(o)
}

func (c *Channel) submitLocked(o *outgoing) error {
	if c.sendClosed {
		return ErrChannelClosed
	}
	if c.pending != nil {
		c.queue = append(c.queue, o)
		return nil
	}
	return c.writeLocked(o)
}

// writeLocked writes one message; a handle's message becomes the pending
// one until the peer acknowledges it. Called with wmu held.
func (c *Channel) writeLocked(o *outgoing) error {
	if o.handle == nil {
		if err := c.writeData(o.data); err != nil {
			return err
		}
		c.settledLocked(o, nil) // a plain message's outcome: written
		return nil
	}
	if c.bunPid != 0 {
		data, err := c.bunHandleData(o)
		if err != nil {
			return fmt.Errorf("nodeipc: send: %w", err)
		}
		if err := c.writeData(data); err != nil {
			return err
		}
		c.pending = o
		return nil
	}
	if _, err := c.p.WriteHandle(o.data, o.handle); err != nil {
		return sendErr(err)
	}
	c.written++
	c.pending = o
	return nil
}

// writeData writes one message without a handle. Called with wmu held.
func (c *Channel) writeData(data []byte) error {
	if _, err := c.p.Write(data); err != nil {
		return sendErr(err)
	}
	c.written++
	return nil
}

func sendErr(err error) error { return fmt.Errorf("nodeipc: send: %w", mapWriteErr(err)) }

// writeInternal writes an internal message (ACK, NACK) at once, never queued,
// as Node does; a failure is ignored, as Node ignores it.
func (c *Channel) writeInternal(cmd string) { c.writeInternalMessage(internalMessage(cmd)) }

func (c *Channel) writeInternalMessage(m any) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	data, err := encode(nil, c.wire, m)
	if err != nil {
		return
	}
	c.p.Write(data) //nolint:errcheck // Node does not report a failed ACK either
}

// acknowledged handles NODE_HANDLE_ACK (nack false) or NODE_HANDLE_NACK from
// the peer: retransmit or release the pending handle, then write the queue up
// to the next handle. Each message settled on the way has its outcome
// reported (settledLocked), after wmu is released.
func (c *Channel) acknowledged(nack bool) {
	shut := false
	defer func() {
		c.reportOutcomes() // after wmu is released
		if shut {
			c.shutdown(ErrChannelClosed)
		}
	}()
	c.wmu.Lock()
	defer c.wmu.Unlock()
	o := c.pending
	if o == nil {
		return // an answer to nothing: ignore it, as Node does
	}
	if nack && o.retrans < maxHandleRetransmissions {
		o.retrans++
		c.pending = nil
		if err := c.writeLocked(o); err != nil {
			c.settledLocked(o, err)
		}
		if c.pending != nil {
			return
		}
	} else {
		c.pending = nil
		if nack {
			c.settledLocked(o, ErrHandleNotReceived)
		} else {
			c.settledLocked(o, nil)
		}
		if o.kind.typ == "net.Socket" && !o.keepOpen {
			closeHandle(o.handle)
		}
	}
	for len(c.queue) > 0 && c.pending == nil {
		next := c.queue[0]
		c.queue[0] = nil
		c.queue = c.queue[1:]
		if err := c.writeLocked(next); err != nil {
			c.settledLocked(next, err)
		}
	}
	if len(c.queue) == 0 {
		c.queue = nil
	}
	if c.draining && c.pending == nil {
		c.draining = false
		shut = true
	}
}

// closeHandle closes a sent connection the sender gave away.
func closeHandle(h any) {
	switch v := h.(type) {
	case io.Closer:
		v.Close()
	case uv.IPCAcceptable:
		if hd := v.IPCHandle(); hd != nil {
			hd.Close()
		}
	}
}
