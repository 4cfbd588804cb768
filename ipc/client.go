package ipc

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"sync"
	"syscall"
	"time"

	"github.com/uvpipe/uvpipe/pipe"
)

// ClientOptions configures a net-ipc Client. Handlers run on the client's
// reading goroutine, one at a time, and must not block for long.
type ClientOptions struct {
	Path          string // DefaultServerPath() when empty
	Extras        any    // sent in CONNECTION as d.extras
	ID            string // a previous id to ask the server to adopt
	MaxPacketSize int    // DefaultMaxPacketSize when <= 0

	OnMessage func(data json.RawMessage)
	// OnPublish receives messages of subscribed topics.
	OnPublish func(topic string, message json.RawMessage)
	// OnRequest answers the server's requests (return true once answered or
	// taken on); without it, or when it returns false, the client sends an
	// empty RESPONSE, as net-ipc's client does.
	OnRequest func(req json.RawMessage, reply func(any) error) bool
	// OnError receives packets that do not parse.
	OnError func(err error)
}

// Client is a net-ipc / @isdk/ipc-server client.
type Client struct {
	wireConn
	opts ClientOptions
	pipe *pipe.Pipe
	id   string
	done chan struct{}

	mu      sync.Mutex
	reason  string
	allowRe bool
	closing bool
}

// Connect dials the server, sends the IPC preamble and CONNECTION, and
// returns once the server answered with the connection's id.
func Connect(ctx context.Context, opts ClientOptions) (*Client, error) {
	if opts.Path == "" {
		opts.Path = DefaultServerPath()
	}
	p, err := dialRetry(ctx, opts.Path)
	if err != nil {
		return nil, err
	}
	c := &Client{wireConn: newWireConn(p), opts: opts, pipe: p, done: make(chan struct{})}
	d := map[string]any{}
	if opts.Extras != nil {
		d["extras"] = opts.Extras
	}
	if opts.ID != "" {
		d["id"] = opts.ID
	}
	pkt, err := AppendPacket([]byte(netIPCPreamble), Packet{Type: PacketConnection, Data: mustJSON(d)})
	if err == nil {
		_, err = p.Write(pkt)
	}
	pr := NewPacketReader(p, opts.MaxPacketSize)
	var reply Packet
	if err == nil {
		stop := context.AfterFunc(ctx, func() { _ = p.SetReadDeadline(time.Unix(1, 0)) })
		reply, err = pr.ReadPacket()
		if !stop() {
			err = errors.Join(ctx.Err(), err)
		}
	}
	if err == nil && reply.Type != PacketConnection {
		if reply.Type == PacketEnd {
			err = errors.New("ipc: net-ipc server refused the connection: " + endReason(reply.Data))
		} else {
			err = errors.New("ipc: net-ipc server did not answer CONNECTION")
		}
	}
	if err != nil {
		p.Close()
		return nil, err
	}
	_ = p.SetReadDeadline(time.Time{})
	var id struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(reply.Data, &id)
	c.id = id.ID
	go c.readLoop(pr)
	return c, nil
}

// dialRetry dials, retrying while the server's accept backlog is full
// (EAGAIN on a unix socket) until ctx ends.
func dialRetry(ctx context.Context, path string) (*pipe.Pipe, error) {
	for attempt := 1; ; attempt++ {
		p, err := pipe.Dial(ctx, path)
		if !errors.Is(err, syscall.EAGAIN) {
			return p, err
		}
		t := time.NewTimer(min(time.Duration(attempt)*time.Millisecond, 50*time.Millisecond))
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return nil, err
		}
	}
}

func mustJSON(v any) json.RawMessage {
	b, _ := json.Marshal(v)
	return b
}

// ID is the id the server gave this connection.
func (c *Client) ID() string { return c.id }

// Send sends a MESSAGE.
func (c *Client) Send(data any) error { return c.writeData(PacketMessage, data, "") }

// Request sends a REQUEST and waits for its RESPONSE data (null or absent
// data is nil). Without a deadline in ctx it waits DefaultRequestTimeout.
func (c *Client) Request(ctx context.Context, data any) (json.RawMessage, error) {
	p, err := c.call(ctx, PacketRequest, data)
	return p.Data, err
}

// Ping returns the round-trip time of a PING.
func (c *Client) Ping(ctx context.Context) (time.Duration, error) { return c.ping(ctx) }

// Subscribe subscribes to topics; it reports whether any was new.
func (c *Client) Subscribe(ctx context.Context, topics ...string) (bool, error) {
	return c.result(ctx, map[string]any{"sub": topics})
}

// Unsubscribe drops topics; it reports whether any was subscribed.
func (c *Client) Unsubscribe(ctx context.Context, topics ...string) (bool, error) {
	return c.result(ctx, map[string]any{"unsub": topics})
}

// Publish sends message to the topic's subscribers (this client too, if
// subscribed) and returns once the server has delivered it.
func (c *Client) Publish(ctx context.Context, topic string, message any) error {
	raw, err := marshalData(message)
	if err != nil {
		return err
	}
	_, err = c.result(ctx, publication{Pub: topic, Message: raw})
	return err
}

func (c *Client) result(ctx context.Context, req any) (bool, error) {
	d, err := c.Request(ctx, req)
	if err != nil {
		return false, err
	}
	var r struct {
		Result bool `json:"result"`
	}
	_ = json.Unmarshal(d, &r)
	return r.Result, nil
}

// Done is closed once the connection has gone.
func (c *Client) Done() <-chan struct{} { return c.done }

// EndReason is the reason the server gave in END, and whether it allows
// a reconnect; empty until it sent one.
func (c *Client) EndReason() (reason string, allowReconnect bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.reason, c.allowRe
}

// Close ends the connection gracefully: it waits for pending requests to be
// answered (or to fail), sends END {m: reason, a: false}, half-closes, and
// waits until the server closes too (at most until ctx ends).
func (c *Client) Close(ctx context.Context, reason string) error {
	c.mu.Lock()
	if c.closing {
		c.mu.Unlock()
		return ErrConnClosed
	}
	c.closing = true
	c.mu.Unlock()
	c.wireConn.mu.Lock()
	c.gone = true
	c.wireConn.mu.Unlock()
	c.waiting.Wait()
	err := c.writeData(PacketEnd, endPacket{M: reason}, "")
	_ = c.pipe.CloseWrite()
	select {
	case <-c.done:
	case <-ctx.Done():
		err = ctx.Err()
	}
	c.pipe.Close()
	<-c.done
	return err
}

// Destroy closes the connection at once; pending requests fail with
// ErrConnClosed.
func (c *Client) Destroy() {
	c.mu.Lock()
	c.closing = true
	c.mu.Unlock()
	c.failAll()
	c.pipe.Close()
	<-c.done
}

func (c *Client) readLoop(pr *PacketReader) {
	defer close(c.done)
	defer c.pipe.Close()
	defer c.failAll()
	for {
		p, err := pr.ReadPacket()
		var pe *PacketError
		if errors.As(err, &pe) {
			if c.opts.OnError != nil {
				c.opts.OnError(err)
			}
			continue
		}
		if err != nil {
			if err != io.EOF && c.opts.OnError != nil && !c.isClosing() {
				c.opts.OnError(err)
			}
			return
		}
		c.handle(p)
	}
}

func (c *Client) isClosing() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closing
}

func (c *Client) handle(p Packet) {
	switch p.Type {
	case PacketMessage:
		var pub struct {
			Pub     string          `json:"pub"`
			Message json.RawMessage `json:"message"`
		}
		if c.opts.OnPublish != nil && json.Unmarshal(p.Data, &pub) == nil && pub.Pub != "" && truthy(pub.Message) {
			c.opts.OnPublish(pub.Pub, pub.Message)
		} else if c.opts.OnMessage != nil {
			c.opts.OnMessage(p.Data)
		}
	case PacketRequest:
		reply := c.replier(p.Nonce)
		if c.opts.OnRequest == nil || !c.opts.OnRequest(p.Data, reply) {
			_ = reply(nil)
		}
	case PacketResponse, PacketPong:
		c.resolve(p)
	case PacketPing:
		_ = c.answerPing(p)
	case PacketEnd:
		var e struct {
			A bool `json:"a"`
		}
		_ = json.Unmarshal(p.Data, &e)
		c.mu.Lock()
		c.reason, c.allowRe = endReason(p.Data), e.A
		c.mu.Unlock()
	}
}

// truthy is JavaScript's truthiness of a JSON value.
func truthy(v json.RawMessage) bool {
	switch string(v) {
	case "", "null", "false", "0", `""`, "-0", "0.0":
		return false
	}
	return true
}
