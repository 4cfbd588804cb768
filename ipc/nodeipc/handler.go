package nodeipc

import (
	"context"
	"errors"
)

// Handler is a message handler, the callback style of Bun's ipc(message,
// subprocess) option beside the Go style of Recv. It is called with c and
// the same things, in the same order, that Recv would return:
//
//   - (m, nil) for each message, with its handle if one came;
//   - (Message{}, err) for a message that could not be decoded; the
//     channel goes on;
//   - once at the end, (Message{}, err) with what Recv would then return
//     forever: io.EOF when the peer disconnected, ErrChannelClosed when this
//     side did, or the error that ended the channel. c.Done() is closed by
//     then, which tells this last call from the others.
//
// All calls for one channel run one at a time, in order, on one goroutine
// that the channel starts for the handler (never on the caller's goroutine,
// never under a lock), so a handler may call Send, SendHandle, Disconnect
// and Close. While it runs, the channel keeps reading only until its
// bounded inbox is full: a handler that blocks holds the peer back, as an
// unread Recv does.
type Handler func(c *Channel, m Message, err error)

// ErrHandlerSet is returned by Recv on a channel that has a Handler, and by
// OnMessage when one is already set: each message goes to one of them.
var ErrHandlerSet = errors.New("nodeipc: the channel has a message handler (OnMessage); Recv is not available")

// OnMessage makes h receive every message from now on instead of Recv,
// starting with those already received and not yet returned by Recv. It
// can be set once per channel (or from the start with Options.OnMessage);
// setting it again returns ErrHandlerSet. Do not leave a Recv blocked while
// setting it: that Recv may still take the next message.
//
// Close does not wait for the handler (a handler may call Close): after
// Close the handler is called at most for messages that were already being
// handed to it, then a last time with ErrChannelClosed.
func (c *Channel) OnMessage(h Handler) error {
	if h == nil {
		return errors.New("nodeipc: OnMessage: nil handler")
	}
	c.hmu.Lock()
	defer c.hmu.Unlock()
	if c.handler != nil {
		return ErrHandlerSet
	}
	c.handler = h
	c.handled.Store(true)
	go c.runHandler(h)
	return nil
}

// hasHandler reports whether a Handler takes the messages: an atomic load,
// as every Recv asks.
func (c *Channel) hasHandler() bool { return c.handled.Load() }

// runHandler hands the messages to h until the channel ends, then makes the
// last call. Its goroutine reads the socket itself, as Recv does.
func (c *Channel) runHandler(h Handler) {
	for {
		it, err := c.take(context.Background())
		if err != nil {
			break
		}
		h(c, it.m, it.err)
	}
	<-c.done
	h(c, Message{}, c.endErr())
}

// Done returns a channel that is closed once this channel has ended (the
// peer disconnected, this side called Disconnect or Close, or the stream
// broke) and stopped reading. Received messages may still wait for Recv.
func (c *Channel) Done() <-chan struct{} { return c.done }
