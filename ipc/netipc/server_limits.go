package netipc

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/uvpipe/uvpipe/ipc/netipc/wire"
	"github.com/uvpipe/uvpipe/uv"
)

// The defaults of a Server's limits (ServerOptions).
const (
	// DefaultMaxOutgoingBytes bounds the bytes waiting to be written to one
	// client (ServerOptions.MaxOutgoingBytes).
	DefaultMaxOutgoingBytes = 8 << 20
	// DefaultWriteTimeout is how long bytes may wait to be written to one
	// client without its queue ever emptying (ServerOptions.WriteTimeout).
	DefaultWriteTimeout = 5 * time.Second
	// DefaultPacketTimeout is how long a client may take to finish a packet
	// it has begun (ServerOptions.PacketTimeout).
	DefaultPacketTimeout = 10 * time.Second
	// DefaultCloseTimeout is how long Shutdown, and the drop of a slow
	// consumer, wait for a client to close after END
	// (ServerOptions.CloseTimeout).
	DefaultCloseTimeout = 2 * time.Second
	// DefaultSocketMode is the socket file's mode (ServerOptions.Mode):
	// only the server's user may connect.
	DefaultSocketMode os.FileMode = 0o600
	// GroupSocketMode lets the socket file's group connect too.
	GroupSocketMode os.FileMode = 0o660
)

// ErrSlowConsumer is the error event of a client dropped because it did
// not read what the server wrote to it: more than MaxOutgoingBytes waiting,
// or bytes waiting for WriteTimeout without the queue ever emptying. Writes
// to it (Send, Publish, Broadcast, replies) then fail with an error that
// wraps both it and ErrConnClosed.
var ErrSlowConsumer = errors.New("netipc: slow consumer")

// ErrPacketTimeout is the error event of a client that began a packet and
// did not finish it within PacketTimeout; it is closed.
var ErrPacketTimeout = errors.New("netipc: packet not completed in time")

// ErrTooManyConnections is the reason in the END a client gets when the
// server already has MaxConnections connections.
var ErrTooManyConnections = errors.New("netipc: too many connections")

// outbox is a connection's bound on what waits to be written to it.
type outbox struct {
	mu      sync.Mutex
	timer   *time.Timer // armed while bytes wait
	drains  uint64      // times the queue emptied (OnWriteDone)
	armedAt uint64      // drains when the timer was armed
	dropped atomic.Bool // the connection was dropped as a slow consumer
	gone    atomic.Bool // the connection has gone: no timer is armed again
	cut     chan struct{}
	cutOnce sync.Once
	cutErr  error // why the connection was cut off, reported by its goroutine
	partial *time.Timer

	holding atomic.Bool // OnConnect runs: what is sent is held
	held    [][]byte    // packets OnConnect sent, under mu
	heldEnd *endPacket  // the END OnConnect asked for, under mu
}

// holdEnd keeps the END asked for while OnConnect runs, to go after the
// answer; it reports whether it did.
func (c *ServerConn) holdEnd(e endPacket) bool {
	if !c.out.holding.Load() {
		return false
	}
	o := &c.out
	o.mu.Lock()
	defer o.mu.Unlock()
	if !o.holding.Load() {
		return false
	}
	if o.heldEnd == nil {
		o.heldEnd = &e
	}
	return true
}

// releaseHeld ends the hold and returns what OnConnect sent.
func (c *ServerConn) releaseHeld() ([][]byte, *endPacket) {
	o := &c.out
	o.mu.Lock()
	defer o.mu.Unlock()
	o.holding.Store(false)
	held, end := o.held, o.heldEnd
	o.held, o.heldEnd = nil, nil
	return held, end
}

// send writes a whole packet to the client without waiting for it to
// read: what the socket does not take is queued, up to MaxOutgoingBytes
// (and WriteTimeout, see watchQueue); beyond that the client is dropped.
func (c *ServerConn) send(b []byte) error {
	if c.out.dropped.Load() {
		return fmt.Errorf("%w: %w", ErrConnClosed, ErrSlowConsumer)
	}
	if c.out.gone.Load() {
		return ErrConnClosed
	}
	if c.out.holding.Load() {
		c.out.mu.Lock()
		if c.out.holding.Load() {
			c.out.held = append(c.out.held, bytes.Clone(b))
			c.out.mu.Unlock()
			return nil
		}
		c.out.mu.Unlock()
	}
	s := c.pipe.UV()
	_, err := s.WriteNoWait(b, c.srv.opts.MaxOutgoingBytes)
	if err == uv.ErrQueueFull {
		c.dropSlow(fmt.Sprintf("slow consumer: more than %d bytes waiting to be written", c.srv.opts.MaxOutgoingBytes))
		return fmt.Errorf("%w: %w", ErrConnClosed, ErrSlowConsumer)
	}
	if err != nil {
		return fmt.Errorf("%w: %w", ErrConnClosed, err)
	}
	if s.QueuedBytes() > 0 {
		c.watchQueue()
	}
	return nil
}

// watchQueue arms the write timer unless it is armed: when it fires, a
// queue that has not emptied since drops the client.
func (c *ServerConn) watchQueue() {
	o := &c.out
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.timer != nil || o.dropped.Load() || o.gone.Load() {
		return
	}
	o.armedAt = o.drains
	o.timer = time.AfterFunc(c.srv.opts.WriteTimeout, c.writeTimerFired)
}

func (c *ServerConn) writeTimerFired() {
	o := &c.out
	o.mu.Lock()
	o.timer = nil
	stuck := o.drains == o.armedAt
	o.mu.Unlock()
	if c.pipe.UV().QueuedBytes() == 0 {
		return
	}
	if stuck {
		c.dropSlow(fmt.Sprintf("slow consumer: bytes waited %v to be written", c.srv.opts.WriteTimeout))
		return
	}
	c.watchQueue()
}

// noteWritten is the connection's OnWriteDone: it counts the times its
// queue emptied.
func (c *ServerConn) noteWritten(queued int, _ error) {
	if queued == 0 {
		c.out.mu.Lock()
		c.out.drains++
		c.out.mu.Unlock()
	}
}

// dropSlow drops a slow consumer: the error event, END with the reason
// after what is queued, a half close, and a close at once if the client
// has not closed within CloseTimeout. Later writes to it fail at once.
func (c *ServerConn) dropSlow(reason string) {
	o := &c.out
	o.mu.Lock()
	if o.dropped.Load() || o.gone.Load() {
		o.mu.Unlock()
		return
	}
	o.dropped.Store(true)
	if o.timer != nil {
		o.timer.Stop()
		o.timer = nil
	}
	o.mu.Unlock()
	c.idMu.Lock()
	if c.endMsg == "" {
		c.endMsg = reason
	}
	c.idMu.Unlock()
	c.errorf(fmt.Errorf("%w: %s", ErrSlowConsumer, reason[len("slow consumer: "):]))
	c.ended.Do(func() {
		c.sendEnd(reason, false)
		c.noteEndSent()
	})
	time.AfterFunc(c.srv.opts.CloseTimeout, func() { c.cutOff(nil) })
}

// sendEnd writes END, past any limit (one small packet), and starts the
// half close after it without waiting for the peer.
func (c *ServerConn) sendEnd(reason string, allowReconnect bool) {
	b, err := wire.AppendPacket(nil, wire.Packet{Type: wire.PacketEnd, Data: mustJSON(endPacket{M: reason, A: allowReconnect})})
	if err == nil {
		_, _ = c.pipe.UV().WriteNoWait(b, 0)
	}
	startCloseWrite(c.pipe.UV())
}

// startCloseWrite starts a half close without waiting, from anywhere.
func startCloseWrite(s *uv.Pipe) {
	if s.StartCloseWrite() == uv.ErrWouldBlock {
		_ = s.Loop().Post(func() { _ = s.StartCloseWrite() })
	}
}

// cutOff closes the connection at once; err, when not nil, is reported as
// its error event by its goroutine.
func (c *ServerConn) cutOff(err error) {
	c.out.cutOnce.Do(func() {
		c.out.mu.Lock()
		c.out.cutErr = err
		c.out.mu.Unlock()
		close(c.out.cut)
		_ = c.pipe.Close()
	})
}

// cutError is why the connection was cut off, nil if it was not or for
// no error of its own.
func (c *ServerConn) cutError() error {
	c.out.mu.Lock()
	defer c.out.mu.Unlock()
	return c.out.cutErr
}

// partialPacket starts (or stops) the clock of a packet begun and not
// complete: one not complete within PacketTimeout cuts the connection off.
func (c *ServerConn) partialPacket(begun bool) {
	o := &c.out
	o.mu.Lock()
	defer o.mu.Unlock()
	switch {
	case begun && o.partial == nil && !o.gone.Load():
		o.partial = time.AfterFunc(c.srv.opts.PacketTimeout, func() {
			c.cutOff(fmt.Errorf("%w: %v after it began", ErrPacketTimeout, c.srv.opts.PacketTimeout))
		})
	case !begun && o.partial != nil:
		o.partial.Stop()
		o.partial = nil
	}
}

// stopTimers stops the connection's timers once it has gone.
func (c *ServerConn) stopTimers() {
	o := &c.out
	o.mu.Lock()
	defer o.mu.Unlock()
	o.gone.Store(true)
	for _, t := range []*time.Timer{o.timer, o.partial} {
		if t != nil {
			t.Stop()
		}
	}
	o.timer, o.partial = nil, nil
}

// refuseRequest answers a REQUEST whose payload does not parse (deeper
// than the decoder's nesting limit, or not JSON) with an error RESPONSE,
// when its nonce can be read, so the client is not left to time out.
func (c *ServerConn) refuseRequest(pe *wire.PacketError) {
	if nonce, ok := wire.RequestNonce(pe.Payload); ok && c.isConnected() {
		_ = c.writeData(wire.PacketResponse, map[string]string{"error": "netipc: request refused: " + pe.Err.Error()}, nonce)
	}
}
