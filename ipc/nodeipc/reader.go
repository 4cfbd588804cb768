package nodeipc

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
	"github.com/uvpipe/uvpipe/pipe"
)

// maxUnboundHandles bounds the received fds waiting for their NODE_HANDLE
// message; beyond it the oldest is closed.
const maxUnboundHandles = 16

// arrived is a received handle not yet bound to a message, with the stream
// offset of the data that came with it.
type arrived struct {
	h   *pipe.ReceivedHandle
	pos int64
}

// reader is the state of the channel's reading side, used by the goroutine
// that holds the turn (turn.go).
type reader struct {
	c     *Channel
	f     framer
	hq    []arrived
	buf   []byte
	out   []item   // the items of a step, reused
	rerr  error    // the read error met, once the messages before it are handled
	watch ctxWatch // the context whose end interrupts a read (turn.go)
}

func newReader(c *Channel) *reader {
	return &reader{c: c, f: framer{mode: c.mode, wire: c.wire, max: c.max, switched: c.switchWire}, watch: ctxWatch{p: c.p}}
}

// step handles the messages already buffered, up to room of them for the
// program; when none is complete, it reads the socket once and handles what
// came. It returns the messages for the program, and ended when the channel
// has ended (the peer went, it was closed, or the stream broke). A read
// interrupted by its deadline (a Recv's context) returns nothing.
//
// With the inbox full (room 0 or less) it goes on while the user messages
// beyond room stay within over bytes of the stream: it reads once, handles
// the internal messages that came (an ACK lets the sends queued behind a
// handle go) and returns the user messages too, each with the bytes it took
// (item.over), which the inbox holds beyond its size. Internal messages are
// so handled whatever the inbox holds; only once over is spent does the
// channel stop reading until the program receives.
func (r *reader) step(room int, over int64) (out []item, ended bool) {
	out = r.out[:0]
	read := false
	for {
		for len(out) < room || over > 0 {
			before := r.f.base
			fr, ok, fatal := r.f.next()
			if fatal != nil {
				r.c.ended(fatal)
				return out, true
			}
			if !ok {
				break
			}
			if it, deliver := r.dispatch(fr); deliver {
				if len(out) >= room {
					it.over = r.f.base - before
					over -= it.over
				}
				out = append(out, it)
			}
		}
		if len(out) > 0 || (room <= 0 && (read || over <= 0)) {
			return out, false
		}
		if r.rerr != nil {
			r.c.ended(r.endErr())
			return out, true
		}
		if !r.read() {
			return out, false
		}
		read = true
	}
}

// maxOverBytes bounds the stream bytes of the user messages a full inbox
// holds beyond its size, taken in so that the internal messages behind them
// are handled.
const maxOverBytes = 1 << 20

// endErr is why the read error ends the channel (readEndErr), and
// io.ErrUnexpectedEOF, wrapped, when the peer's stream ended inside a
// message: a line or frame had begun and was cut off.
func (r *reader) endErr() error {
	err := readEndErr(r.rerr)
	if err == errEOF && r.f.pending() > 0 {
		return fmt.Errorf("nodeipc: the peer's stream ended inside a message (%d bytes of it received): %w", r.f.pending(), io.ErrUnexpectedEOF)
	}
	return err
}

// read reads the socket once into the framer, keeping the handles that came;
// false when the read was interrupted by its deadline.
func (r *reader) read() bool {
	var into []byte
	if r.f.mode == Advanced {
		if r.buf == nil {
			r.buf = make([]byte, readChunk)
		}
		into = r.buf
	} else {
		into = r.f.space() // JSON: read straight into the framer
	}
	n, hs, err := r.c.p.ReadHandles(into)
	pos := r.f.offset()
	for _, h := range hs {
		r.hq = append(r.hq, arrived{h: h, pos: pos})
	}
	for len(r.hq) > maxUnboundHandles {
		r.hq[0].h.Close()
		r.hq = r.hq[1:]
	}
	if n > 0 {
		if r.f.mode == Advanced {
			r.f.write(into[:n])
		} else {
			r.f.grown(n)
		}
	}
	if err != nil {
		if errors.Is(err, os.ErrDeadlineExceeded) {
			return n > 0 || len(hs) > 0
		}
		r.rerr = err
	}
	return true
}

// readEndErr is why a read error ends the channel: io.EOF when the peer
// ended it, ErrChannelClosed when this side closed the socket.
func readEndErr(err error) error {
	switch {
	case isEOF(err):
		return errEOF
	case errors.Is(err, net.ErrClosed):
		return ErrChannelClosed
	}
	return err
}

// ended closes the channel from the reader's side: the peer has gone or the
// stream is broken. Messages already received stay for Recv.
func (c *Channel) ended(why error) {
	c.wmu.Lock()
	if n := c.misguessed; n > 0 && why == errEOF {
		why = &RuntimeGuessError{Runtime: c.runtimeLocked(), Sent: n}
	}
	c.wmu.Unlock()
	c.stopSending()
	c.setEnd(why)
	c.p.Close()
}

// dispatch handles one message: an internal one here, another is returned
// for the program (deliver true).
func (r *reader) dispatch(fr frame) (it item, deliver bool) {
	r.prune(fr.start)
	if fr.err != nil {
		return item{err: fr.err}, true
	}
	if fr.bun {
		return item{}, false // Bun's internal line: not for the program, nor Node's protocol
	}
	cmd, internal := internalCmd(fr.value)
	if !internal {
		return item{m: Message{Value: fr.value}}, true
	}
	switch cmd {
	case cmdHandleAck, cmdHandleNack:
		r.c.acknowledged(cmd == cmdHandleNack)
	case cmdHandle:
		return r.handleMessage(fr)
	case cmdSocketNotifyClose, cmdSocketGetCount:
		r.c.answerSocketList(cmd, fr.value.(*jsvalue.Object))
	}
	// Other internal messages (NODE_CLUSTER, ...) are not for the program.
	return item{}, false
}

// handleMessage takes the fd that came with a NODE_HANDLE message, answers
// ACK (NACK without one) and returns the wrapped message with the handle.
func (r *reader) handleMessage(fr frame) (item, bool) {
	h := r.take(fr.start)
	if h == nil {
		h = r.c.bunSocket(fr.value.(*jsvalue.Object)) // bun.exe's own way, on Windows
	}
	if h == nil {
		r.c.writeInternal(cmdHandleNack)
		return item{}, false
	}
	r.c.writeInternal(cmdHandleAck)
	o := fr.value.(*jsvalue.Object)
	msg, _ := o.Get("msg")
	if _, internal := internalCmd(msg); internal {
		h.Close()
		return item{}, false
	}
	typ, key := stringProp(o, "type"), stringProp(o, "key")
	if key != "" && typ == "net.Socket" { // as Node's handleConversion['net.Socket'].got
		r.c.trackSocket(key, h)
	}
	return item{m: Message{Value: msg, Handle: h, Key: key}}, true
}

// prune closes handles that can no longer be bound: the fd travels with the
// first bytes of its NODE_HANDLE message, so a handle is Node's "pending
// handle of that read" and belongs to the first NODE_HANDLE message starting
// at or after its data and before the next handle's. Once a message starts
// past a later handle's data, the earlier handle had no message.
func (r *reader) prune(start int64) {
	for len(r.hq) >= 2 && r.hq[1].pos <= start && r.hq[1].pos > r.hq[0].pos {
		r.hq[0].h.Close()
		r.hq = r.hq[1:]
	}
}

// take returns the handle for a NODE_HANDLE message starting at start, or
// nil when none came with it.
func (r *reader) take(start int64) *pipe.ReceivedHandle {
	if len(r.hq) == 0 || r.hq[0].pos > start {
		return nil
	}
	h := r.hq[0].h
	r.hq = r.hq[1:]
	return h
}

func (r *reader) closeUnbound() {
	for _, a := range r.hq {
		a.h.Close()
	}
	r.hq = nil
}
