package ipc

import (
	"errors"
	"net"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
	"github.com/uvpipe/uvpipe/pipe"
)

// maxUnboundHandles bounds the received fds waiting for their NODE_HANDLE
// message; beyond it the oldest is closed.
const maxUnboundHandles = 16

// arrived is a received handle not yet bound to a message, with the stream
// offset of the data that came with it.
type arrived struct {
	h   *pipe.Handle
	pos int64
}

// reader is the state of the channel's reading goroutine.
type reader struct {
	c  *Channel
	f  framer
	hq []arrived
}

// readLoop reads the socket until it ends, handles internal messages and
// hands the others to Recv.
func (c *Channel) readLoop() {
	r := &reader{c: c, f: framer{mode: c.mode, max: c.max}}
	defer close(c.done)
	defer close(c.in)
	defer r.closeUnbound()
	buf := make([]byte, 64<<10)
	for {
		n, hs, err := c.p.ReadHandles(buf)
		pos := r.f.offset()
		for _, h := range hs {
			r.hq = append(r.hq, arrived{h: h, pos: pos})
		}
		for len(r.hq) > maxUnboundHandles {
			r.hq[0].h.Close()
			r.hq = r.hq[1:]
		}
		if n > 0 {
			r.f.write(buf[:n])
		}
		for {
			fr, ok, fatal := r.f.next()
			if fatal != nil {
				c.ended(fatal)
				return
			}
			if !ok {
				break
			}
			if !r.dispatch(fr) {
				return
			}
		}
		if err != nil {
			switch {
			case isEOF(err):
				c.ended(errEOF)
			case errors.Is(err, net.ErrClosed):
				c.ended(ErrChannelClosed)
			default:
				c.ended(err)
			}
			return
		}
	}
}

// ended closes the channel from the reader's side: the peer has gone or the
// stream is broken. Messages already received stay for Recv.
func (c *Channel) ended(why error) {
	c.stopSending()
	c.setEnd(why)
	c.p.Close()
}

// dispatch handles one message; false means the channel is being closed.
func (r *reader) dispatch(fr frame) bool {
	r.prune(fr.start)
	if fr.err != nil {
		return r.deliver(item{err: fr.err})
	}
	if fr.bun {
		return true // Bun's internal line: not for the program, nor Node's protocol
	}
	cmd, internal := internalCmd(fr.value)
	if !internal {
		return r.deliver(item{m: Message{Value: fr.value}})
	}
	switch cmd {
	case cmdHandleAck, cmdHandleNack:
		if err := r.c.acknowledged(cmd == cmdHandleNack); err != nil {
			return r.deliver(item{err: err})
		}
	case cmdHandle:
		return r.handleMessage(fr)
	case cmdSocketNotifyClose, cmdSocketGetCount:
		r.c.answerSocketList(cmd, fr.value.(*jsvalue.Object))
	}
	// Other internal messages (NODE_CLUSTER, ...) are not for the program.
	return true
}

// handleMessage takes the fd that came with a NODE_HANDLE message, answers
// ACK (NACK without one) and delivers the wrapped message with the handle.
func (r *reader) handleMessage(fr frame) bool {
	h := r.take(fr.start)
	if h == nil {
		r.c.writeInternal(cmdHandleNack)
		return true
	}
	r.c.writeInternal(cmdHandleAck)
	o := fr.value.(*jsvalue.Object)
	msg, _ := o.Get("msg")
	if _, internal := internalCmd(msg); internal {
		h.Close()
		return true
	}
	return r.deliver(item{m: Message{
		Value:      msg,
		Handle:     h,
		HandleType: stringProp(o, "type"),
		DgramType:  stringProp(o, "dgramType"),
		Key:        stringProp(o, "key"),
	}})
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
func (r *reader) take(start int64) *pipe.Handle {
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

// deliver hands an item to Recv, waiting while the inbox is full; false when
// the channel is closed meanwhile.
func (r *reader) deliver(it item) bool {
	select {
	case r.c.in <- it:
		return true
	case <-r.c.quit:
		if it.m.Handle != nil {
			it.m.Handle.Close()
		}
		return false
	}
}
