package netipc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/uvpipe/uvpipe/ipc/netipc/wire"
)

// DefaultRequestTimeout bounds a Request or Ping whose context has no
// deadline, as net-ipc's default timeout does.
const DefaultRequestTimeout = 10 * time.Second

// ErrConnClosed is returned for a send on, or a request pending on, a net-ipc
// connection that has gone.
var ErrConnClosed = errors.New("netipc: connection closed")

// wireConn is what both ends of a net-ipc connection share: single-write
// packets and the requests and pings waiting for their answer.
type wireConn struct {
	conn net.Conn
	out  func([]byte) error // how a packet is written; conn.Write when nil

	wmu sync.Mutex // one packet per write, whole
	// direct: writes go without wmu. A uv stream's Write is whole under its
	// loop lock (what the socket does not take at once is queued as one
	// request, after any queued before), so wmu is only needed where a
	// write must wait for something else first (the CONNECTION answer);
	// and a write from inside the loop's read callback must not wait for a
	// writer that waits for the loop.
	direct atomic.Bool

	mu      sync.Mutex
	pending map[string]chan wire.Packet
	gone    bool
	why     error          // the reason the connection was destroyed with, if any
	waiting sync.WaitGroup // requests not yet answered, for a graceful close
}

func newWireConn(c net.Conn) wireConn {
	return wireConn{conn: c, pending: map[string]chan wire.Packet{}}
}

// write sends one packet with one write. A write that fails means the
// connection is gone: the error wraps ErrConnClosed.
func (w *wireConn) write(p wire.Packet) error {
	b, err := wire.AppendPacket(nil, p)
	if err != nil {
		return err
	}
	if !w.direct.Load() {
		w.wmu.Lock()
		defer w.wmu.Unlock()
	}
	if w.out != nil {
		return w.out(b)
	}
	if _, err = w.conn.Write(b); err != nil {
		return fmt.Errorf("%w: %w", ErrConnClosed, err)
	}
	return nil
}

// writeData sends a packet whose data is any JSON-encodable value (nil for
// none).
func (w *wireConn) writeData(t wire.PacketType, data any, nonce string) error {
	var raw json.RawMessage
	if data != nil {
		var err error
		if raw, err = marshalData(data); err != nil {
			return err
		}
	}
	return w.write(wire.Packet{Type: t, Data: raw, Nonce: nonce})
}

// marshalData encodes a packet's data as JSON.stringify would: without
// Go's HTML escaping. A json.RawMessage is taken as it is.
func marshalData(v any) (json.RawMessage, error) {
	if r, ok := v.(json.RawMessage); ok {
		return r, nil
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// call sends a packet with a fresh nonce and waits for the packet answering
// it, the context, or the end of the connection.
func (w *wireConn) call(ctx context.Context, t wire.PacketType, data any) (wire.Packet, error) {
	var timeout <-chan time.Time
	if _, ok := ctx.Deadline(); !ok {
		t := requestTimers.Get().(*time.Timer)
		t.Reset(DefaultRequestTimeout)
		defer func() {
			t.Stop() // since Go 1.23, no stale tick is left to a later Reset
			requestTimers.Put(t)
		}()
		timeout = t.C
	}
	nonce := requestNonce()
	ch := answerChans.Get().(chan wire.Packet)
	w.mu.Lock()
	if w.gone {
		w.mu.Unlock()
		answerChans.Put(ch)
		return wire.Packet{}, ErrConnClosed
	}
	w.pending[nonce] = ch
	w.waiting.Add(1)
	w.mu.Unlock()
	defer w.forget(nonce)
	if err := w.writeData(t, data, nonce); err != nil {
		return wire.Packet{}, err
	}
	select {
	case p, ok := <-ch:
		if !ok {
			return wire.Packet{}, w.closedErr()
		}
		// Received, so resolve is done with it: empty, it can serve again.
		// On the other paths an answer may still be on its way into it.
		answerChans.Put(ch)
		return p, nil
	case <-ctx.Done():
		return wire.Packet{}, ctx.Err()
	case <-timeout:
		return wire.Packet{}, context.DeadlineExceeded
	}
}

// requestTimers and answerChans spare a call its allocations: a timer for
// DefaultRequestTimeout and the channel its answer comes by were a third of
// the bytes a request allocated.
var (
	requestTimers = sync.Pool{New: func() any {
		t := time.NewTimer(time.Hour)
		t.Stop()
		return t
	}}
	answerChans = sync.Pool{New: func() any { return make(chan wire.Packet, 1) }}
)

func (w *wireConn) forget(nonce string) {
	w.mu.Lock()
	if _, ok := w.pending[nonce]; ok {
		delete(w.pending, nonce)
		w.waiting.Done()
	}
	w.mu.Unlock()
}

// resolve hands an answer to the call waiting for its nonce, if any.
func (w *wireConn) resolve(p wire.Packet) {
	w.mu.Lock()
	ch, ok := w.pending[p.Nonce]
	if ok {
		delete(w.pending, p.Nonce)
		w.waiting.Done()
	}
	w.mu.Unlock()
	if ok {
		ch <- p
	}
}

// failAll ends every pending call with ErrConnClosed and refuses new ones.
func (w *wireConn) failAll() { w.failAllWith(nil) }

// failAllWith is failAll; the pending calls' error wraps reason too, when
// not nil.
func (w *wireConn) failAllWith(reason error) {
	w.mu.Lock()
	w.gone = true
	if reason != nil && w.why == nil {
		w.why = reason
	}
	for n, ch := range w.pending {
		delete(w.pending, n)
		w.waiting.Done()
		close(ch)
	}
	w.mu.Unlock()
}

// closedErr is the error of a call the connection's end failed.
func (w *wireConn) closedErr() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.why != nil {
		return fmt.Errorf("%w: %w", ErrConnClosed, w.why)
	}
	return ErrConnClosed
}

// ping sends a PING (with data, nil for none) and returns the round-trip
// time.
func (w *wireConn) ping(ctx context.Context, data ...any) (time.Duration, error) {
	var d any
	if len(data) > 0 {
		d = data[0]
	}
	start := time.Now()
	if _, err := w.call(ctx, wire.PacketPing, d); err != nil {
		return 0, err
	}
	return time.Since(start), nil
}

// answer replies to a PING or REQUEST that needs no handler.
func (w *wireConn) answerPing(p wire.Packet) error {
	return w.write(wire.Packet{Type: wire.PacketPong, Data: p.Data, Nonce: p.Nonce})
}

// endPacket is END's data: the reason and whether the peer may reconnect.
type endPacket struct {
	M any  `json:"m,omitempty"`
	A bool `json:"a"`
}

// endReason reads the m of an END packet as text.
func endReason(d json.RawMessage) string {
	var e struct {
		M json.RawMessage `json:"m"`
	}
	if json.Unmarshal(d, &e) != nil || len(e.M) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(e.M, &s) == nil {
		return s
	}
	return string(e.M)
}

// replier is the reply function of a REQUEST: the first call sends the
// RESPONSE, later ones fail.
func (w *wireConn) replier(nonce string) func(any) error {
	var once sync.Once
	return func(v any) error {
		err := errors.New("netipc: request already answered")
		once.Do(func() { err = w.writeData(wire.PacketResponse, v, nonce) })
		return err
	}
}
