package netipc

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
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
	c.ended.Do(func() {
		_ = c.writeData(wire.PacketEnd, endPacket{M: reason, A: allowReconnect}, "")
		_ = c.pipe.CloseWrite()
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
	_ = c.pipe.SetReadDeadline(time.Now().Add(s.opts.ConnectionTimeout))
	br := bufio.NewReader(c.pipe)
	if err := readPreamble(br, c.pipe); err != nil {
		if err == ErrBadPreamble {
			c.errorf(err)
		}
		return
	}
	pr := wire.NewPacketReader(br, s.opts.MaxPacketSize)
	for {
		p, err := pr.ReadPacket()
		var pe *wire.PacketError
		if errors.As(err, &pe) {
			c.errorf(err)
			if !c.isConnected() {
				c.end("closing orphaned connection", false)
			}
			continue
		}
		if err != nil {
			if err != io.EOF && !errors.Is(err, net.ErrClosed) {
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
	if s.opts.OnConnect != nil {
		if err := s.opts.OnConnect(c, d.Extras); err != nil {
			c.end(err.Error(), false)
			return
		}
	}
	answer, err := wire.AppendPacket(nil, wire.Packet{Type: wire.PacketConnection, Data: mustJSON(map[string]string{"id": id}), Nonce: p.Nonce})
	if err != nil {
		return
	}
	_ = c.pipe.SetReadDeadline(time.Time{})
	c.idMu.Lock()
	c.connected = true
	c.idMu.Unlock()
	// The connection is listed before the client can know it is connected,
	// and nothing (a broadcast, a publication) is written to it before the
	// answer.
	c.wmu.Lock()
	s.mu.Lock()
	s.conns[c] = struct{}{}
	s.mu.Unlock()
	_, _ = c.conn.Write(answer)
	c.wmu.Unlock()
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
