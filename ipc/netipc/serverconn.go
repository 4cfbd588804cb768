package netipc

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"slices"
	"sync"
	"time"

	"github.com/uvpipe/uvpipe/ipc/netipc/wire"
	"github.com/uvpipe/uvpipe/pipe"
)

// ServerConn is one client of a Server.
type ServerConn struct {
	wireConn
	srv  *Server
	pipe *pipe.Pipe
	done chan struct{}

	idMu      sync.Mutex
	id        string
	connected bool
	endMsg    string
	ended     sync.Once

	loop       *loopServing // HandleOnLoop, once established; under idMu
	endMsgSent bool         // END went out; under idMu

	out outbox // the bounds on what is written to it (server_limits.go)
}

// ID is the connection's id: the client's previous one when it reconnected
// with it, else one the server generated.
func (c *ServerConn) ID() string {
	c.idMu.Lock()
	defer c.idMu.Unlock()
	return c.id
}

// PeerCred is the identity of the client process.
func (c *ServerConn) PeerCred() (pipe.Cred, error) { return c.pipe.PeerCred() }

// Send sends a MESSAGE to the client.
func (c *ServerConn) Send(data any) error { return c.writeData(wire.PacketMessage, data, "") }

// Request sends a REQUEST and waits for its RESPONSE (DefaultRequestTimeout
// when ctx has no deadline).
func (c *ServerConn) Request(ctx context.Context, data any) (json.RawMessage, error) {
	p, err := c.call(ctx, wire.PacketRequest, data)
	return p.Data, err
}

// Ping returns the round-trip time of a PING to the client.
func (c *ServerConn) Ping(ctx context.Context) (time.Duration, error) { return c.ping(ctx) }

// Close is End(""): it ends the connection gracefully with END {a: false}.
func (c *ServerConn) Close() error {
	c.End("")
	return nil
}

// End ends the connection gracefully with END {m: reason, a: false}.
func (c *ServerConn) End(reason string) { c.end(reason, false) }

// Done is closed once the connection has gone.
func (c *ServerConn) Done() <-chan struct{} { return c.done }

// end sends END and half-closes; the client then closes and serve ends.
// A client that does not close within the connection timeout is cut off.
func (c *ServerConn) end(reason string, allowReconnect bool) {
	if c.holdEnd(endPacket{M: reason, A: allowReconnect}) {
		return
	}
	c.ended.Do(func() {
		c.sendEnd(reason, allowReconnect)
		_ = c.pipe.SetReadDeadline(time.Now().Add(c.srv.opts.ConnectionTimeout))
		c.noteEndSent()
	})
}

func (c *ServerConn) errorf(err error) {
	if h := c.srv.opts.OnError; h != nil {
		h(c, err)
	}
}

func (c *ServerConn) serve() {
	s := c.srv
	defer s.wg.Done()
	defer c.finish()
	_ = c.pipe.UV().OnWriteDone(c.noteWritten)
	_ = c.pipe.SetReadDeadline(time.Now().Add(s.opts.ConnectionTimeout))
	br := bufio.NewReader(c.pipe)
	if err := readPreamble(br, c.pipe); err != nil {
		if err == ErrBadPreamble {
			c.errorf(err)
		}
		return
	}
	pr := wire.NewPacketReader(br, s.opts.MaxPacketSize)
	pr.OnPartial = func(begun bool) {
		if c.isConnected() {
			c.partialPacket(begun)
		}
	}
	for {
		p, err := pr.ReadPacket()
		var pe *wire.PacketError
		if errors.As(err, &pe) {
			c.errorf(err)
			c.refuseRequest(pe)
			if !c.isConnected() {
				c.end("closing orphaned connection", false)
			}
			continue
		}
		if err != nil {
			if cerr := c.cutError(); cerr != nil {
				c.errorf(cerr)
			} else if err != io.EOF && !errors.Is(err, net.ErrClosed) {
				c.errorf(err)
			}
			return
		}
		c.handle(p)
		if s.opts.HandleOnLoop && c.isConnected() {
			c.serveOnLoop(br)
			return
		}
	}
}

func (c *ServerConn) isConnected() bool {
	c.idMu.Lock()
	defer c.idMu.Unlock()
	return c.connected
}

func (c *ServerConn) handle(p wire.Packet) {
	s := c.srv
	if !c.isConnected() && p.Type != wire.PacketConnection {
		c.errorf(ErrPrematurePacket)
		c.end("closing orphaned connection", false)
		return
	}
	switch p.Type {
	case wire.PacketConnection:
		c.connect(p)
	case wire.PacketMessage:
		if s.opts.OnMessage != nil {
			s.opts.OnMessage(c, p.Data)
		}
	case wire.PacketRequest:
		c.request(p)
	case wire.PacketResponse, wire.PacketPong:
		c.resolve(p)
	case wire.PacketPing:
		_ = c.answerPing(p)
	case wire.PacketEnd:
		c.idMu.Lock()
		c.endMsg = endReason(p.Data)
		c.idMu.Unlock()
	}
}

func (c *ServerConn) connect(p wire.Packet) {
	s := c.srv
	var d struct {
		Extras json.RawMessage `json:"extras"`
		ID     json.RawMessage `json:"id"`
	}
	_ = json.Unmarshal(p.Data, &d)
	id := ""
	if json.Unmarshal(d.ID, &id) != nil || id == "" {
		id = s.opts.GenerateID()
	}
	c.idMu.Lock()
	already := c.connected
	c.id = id
	c.idMu.Unlock()
	if already {
		return
	}
	answer, err := wire.AppendPacket(nil, wire.Packet{Type: wire.PacketConnection, Data: mustJSON(map[string]string{"id": id}), Nonce: p.Nonce})
	if err != nil {
		return
	}
	var refused error
	if s.opts.OnConnect != nil {
		// What OnConnect sends (Send, End or Close included) is held, and
		// goes after the answer, as net-ipc's connect event comes after it.
		c.out.holding.Store(true)
		refused = s.opts.OnConnect(c, d.Extras)
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	held, heldEnd := c.releaseHeld()
	if refused != nil || heldEnd != nil {
		// Refused: the answer, then END with the reason, as @isdk's server
		// answers and then closes, so a JavaScript client's connect()
		// settles and it learns why; in one write, so the Go client finds
		// END with the answer and Dial returns an *EndError.
		end := endPacket{A: false}
		if refused != nil {
			end.M = refused.Error()
		} else {
			end = *heldEnd
			held = nil
		}
		c.ended.Do(func() {
			b, _ := wire.AppendPacket(answer, wire.Packet{Type: wire.PacketEnd, Data: mustJSON(end)})
			_, _ = c.pipe.UV().WriteNoWait(b, 0)
			startCloseWrite(c.pipe.UV())
			_ = c.pipe.SetReadDeadline(time.Now().Add(s.opts.ConnectionTimeout))
			c.noteEndSent()
		})
		return
	}
	_ = c.pipe.SetReadDeadline(time.Time{})
	c.idMu.Lock()
	c.connected = true
	c.idMu.Unlock()
	// The connection is listed before the client can know it is connected,
	// and nothing (a broadcast, a publication) is written to it before the
	// answer.
	s.mu.Lock()
	s.conns[c] = struct{}{}
	s.mu.Unlock()
	_ = c.send(slices.Concat(append([][]byte{answer}, held...)...))
}

func (c *ServerConn) request(p wire.Packet) {
	if c.pubsub(p) {
		return
	}
	reply := c.replier(p.Nonce)
	for _, h := range c.srv.opts.OnRequest {
		if h(c, p.Data, reply) {
			return
		}
	}
	_ = reply(nil)
}

// finish removes the connection, its subscriptions and its pending calls.
func (c *ServerConn) finish() {
	s := c.srv
	c.failAll()
	c.stopTimers()
	_ = c.pipe.Close()
	s.mu.Lock()
	delete(s.all, c)
	_, was := s.conns[c]
	delete(s.conns, c)
	for t, subs := range s.topics {
		delete(subs, c)
		if len(subs) == 0 {
			delete(s.topics, t)
		}
	}
	s.mu.Unlock()
	close(c.done)
	if was && s.opts.OnDisconnect != nil {
		c.idMu.Lock()
		reason := c.endMsg
		c.idMu.Unlock()
		s.opts.OnDisconnect(c, reason)
	}
}
