package netipc

import (
	"context"
	"encoding/json"
	"slices"
	"sync"
	"time"

	"github.com/uvpipe/uvpipe/ipc/netipc/wire"
)

// ClientOptions configures a net-ipc Client. Handlers run on the client's
// reading goroutine, one at a time, and must not block for long.
type ClientOptions struct {
	Path          string // resolved by ResolvePath ("" is DefaultServerPath())
	Extras        any    // sent in CONNECTION as d.extras (again on each reconnect)
	ID            string // a previous id to ask the server to adopt
	MaxPacketSize int    // DefaultMaxPacketSize when <= 0
	// MaxInboxBytes bounds the packets received and waiting for the
	// handlers (DefaultMaxInboxBytes when <= 0): above it the client stops
	// reading until its handlers have brought them under half of it, so a
	// slow OnPublish costs bounded memory. Meanwhile the server's packets,
	// answers to calls included, wait in the socket and the server (a
	// uvpipe server drops a client that leaves too much unread for too
	// long: see ServerOptions.MaxOutgoingBytes).
	MaxInboxBytes int
	// Handshake opens with net-ipc's HTTP upgrade (its handshake: true)
	// instead of "IPC": GET / with "Connection: Upgrade" and "Upgrade:
	// net-ipc", and packets once the server answers 101 Switching
	// Protocols; any other answer fails the attempt.
	Handshake bool

	// NoReconnect turns automatic reconnection off (net-ipc's
	// reconnect: false), and the retries of a failed first connection with
	// it (see Dial). Otherwise a connection that drops, or that the
	// server ends with allowReconnect, is dialled again up to Retries
	// times, waiting min(RetryIncrement * attempt, MaxRetryDelay) before
	// each attempt; the client asks for its id again and re-subscribes its
	// topics. A server that ends or refuses without allowReconnect, and
	// Close or Destroy, end the client for good.
	NoReconnect    bool
	Retries        int           // DefaultRetries when <= 0
	RetryIncrement time.Duration // DefaultRetryIncrement when <= 0
	MaxRetryDelay  time.Duration // DefaultMaxRetryDelay when <= 0

	// OnStatus is called with each change of Status, in order, from the
	// goroutine that changes it (Dial's caller, then the client's own).
	// It must not block, nor call Close or Destroy (which wait for that
	// goroutine).
	OnStatus  func(ClientStatus)
	OnMessage func(data json.RawMessage)
	// OnPublish receives messages of subscribed topics.
	OnPublish func(topic string, message json.RawMessage)
	// OnRequest answers the server's requests (return true once answered or
	// taken on); without it, or when it returns false, the client sends an
	// empty RESPONSE, as net-ipc's client does.
	OnRequest func(req json.RawMessage, reply func(any) error) bool
	// OnError receives packets that do not parse and read errors.
	OnError func(err error)
}

// The reconnect defaults of net-ipc's client.
const (
	DefaultRetries        = 3
	DefaultRetryIncrement = 500 * time.Millisecond
	DefaultMaxRetryDelay  = 10 * time.Second
)

// Client is a net-ipc / @isdk/ipc-server client. Its methods are safe for
// concurrent use; while it reconnects they wait for the new connection
// (within their context).
type Client struct {
	opts ClientOptions
	stop chan struct{} // closed by Close or Destroy
	done chan struct{} // closed once the client has ended for good

	mu       sync.Mutex
	sess     *clientSession // nil while not ready
	status   ClientStatus
	changed  chan struct{} // closed and replaced at each status change
	id       string
	subs     map[string]struct{}
	reason   string
	allowRe  bool
	closing  bool
	finished bool
}

// Dial dials the server, sends the IPC preamble and CONNECTION, and
// returns once the server answered with the connection's id.
//
// A first connection that fails is retried as net-ipc's connect() retries
// it, and as the client reconnects later: up to Retries more attempts, each
// after min(RetryIncrement * attempt, MaxRetryDelay), with the same statuses
// (Connecting, Disconnected, Reconnecting, Idle, Connecting...), and one more
// back-off before it gives up with an error that wraps [ErrRetriesSpent]
// and the last attempt's error (with the defaults: 4 attempts, 5 s). A
// server that refuses with END without allowReconnect ([*EndError]) is not
// retried; nor is anything with NoReconnect. When ctx ends, the retries
// stop with an error that wraps ctx's. Within one attempt, a full accept
// backlog (EAGAIN) is dialled again until ctx ends. On failure the status
// ends Idle.
func Dial(ctx context.Context, opts ClientOptions) (*Client, error) {
	opts.Path = ResolvePath(opts.Path)
	if opts.Retries <= 0 {
		opts.Retries = DefaultRetries
	}
	if opts.RetryIncrement <= 0 {
		opts.RetryIncrement = DefaultRetryIncrement
	}
	if opts.MaxRetryDelay <= 0 {
		opts.MaxRetryDelay = DefaultMaxRetryDelay
	}
	c := &Client{opts: opts, stop: make(chan struct{}), done: make(chan struct{}),
		changed: make(chan struct{}), id: opts.ID, subs: map[string]struct{}{}}
	s, err := c.open(ctx)
	if err != nil {
		c.setStatus(ClientDisconnected)
		if !c.opts.NoReconnect && !refusedForGood(err) {
			s, err = c.retry(ctx, 0, err)
		}
	}
	if err != nil {
		c.settleIdle()
		return nil, err
	}
	go c.supervise(s)
	return c, nil
}

// ID is the id the server gave this connection.
func (c *Client) ID() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.id
}

// Status is where the client stands now.
func (c *Client) Status() ClientStatus {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.status
}

func (c *Client) setStatus(st ClientStatus) {
	c.mu.Lock()
	c.status = st
	close(c.changed)
	c.changed = make(chan struct{})
	c.mu.Unlock()
	if c.opts.OnStatus != nil {
		c.opts.OnStatus(st)
	}
}

// ready returns the connection once the client is ready, waiting through
// a reconnect until ctx ends.
func (c *Client) ready(ctx context.Context) (*clientSession, error) {
	for {
		c.mu.Lock()
		if c.closing || c.finished {
			c.mu.Unlock()
			return nil, ErrConnClosed
		}
		if s := c.sess; s != nil && c.status == ClientReady {
			c.mu.Unlock()
			return s, nil
		}
		ch := c.changed
		c.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

func withDefaultTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, DefaultRequestTimeout)
}

// Send sends a MESSAGE (waiting up to DefaultRequestTimeout for a
// reconnect in progress).
func (c *Client) Send(data any) error {
	ctx, cancel := withDefaultTimeout(context.Background())
	defer cancel()
	s, err := c.ready(ctx)
	if err != nil {
		return err
	}
	return s.writeData(wire.PacketMessage, data, "")
}

// Request sends a REQUEST and waits for its RESPONSE data (null or absent
// data is nil). Without a deadline in ctx it waits DefaultRequestTimeout.
// A request in flight when the connection drops fails with ErrConnClosed.
func (c *Client) Request(ctx context.Context, data any) (json.RawMessage, error) {
	s := c.readyNow()
	if s == nil {
		var cancel context.CancelFunc
		ctx, cancel = withDefaultTimeout(ctx)
		defer cancel()
		var err error
		if s, err = c.ready(ctx); err != nil {
			return nil, err
		}
	}
	p, err := s.call(ctx, wire.PacketRequest, data)
	return p.Data, err
}

// readyNow is the connection when the client is ready, else nil.
func (c *Client) readyNow() *clientSession {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closing || c.finished || c.status != ClientReady {
		return nil
	}
	return c.sess
}

// Ping returns the round-trip time of a PING.
func (c *Client) Ping(ctx context.Context) (time.Duration, error) { return c.PingData(ctx, nil) }

// PingData is Ping with data in the PING (net-ipc's ping(data)), which the
// server sends back in its PONG; nil sends none.
func (c *Client) PingData(ctx context.Context, data any) (time.Duration, error) {
	ctx, cancel := withDefaultTimeout(ctx)
	defer cancel()
	s, err := c.ready(ctx)
	if err != nil {
		return 0, err
	}
	return s.ping(ctx, data)
}

// Subscribe subscribes to topics; it reports whether any was new. The
// client subscribes to them again after a reconnect.
func (c *Client) Subscribe(ctx context.Context, topics ...string) (bool, error) {
	ok, err := c.result(ctx, map[string]any{"sub": topics})
	if err == nil {
		c.mu.Lock()
		for _, t := range topics {
			c.subs[t] = struct{}{}
		}
		c.mu.Unlock()
	}
	return ok, err
}

// Unsubscribe drops topics; it reports whether any was subscribed.
func (c *Client) Unsubscribe(ctx context.Context, topics ...string) (bool, error) {
	c.mu.Lock()
	for _, t := range topics {
		delete(c.subs, t)
	}
	c.mu.Unlock()
	return c.result(ctx, map[string]any{"unsub": topics})
}

// Subscriptions returns the topics the client is subscribed to, sorted.
func (c *Client) Subscriptions() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]string, 0, len(c.subs))
	for t := range c.subs {
		out = append(out, t)
	}
	slices.Sort(out)
	return out
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
	return resultOf(d), nil
}

// resultOf reads the result of a publish/subscribe RESPONSE.
func resultOf(d json.RawMessage) bool {
	var r struct {
		Result bool `json:"result"`
	}
	_ = json.Unmarshal(d, &r)
	return r.Result
}

// Done is closed once the client has ended for good: closed, destroyed,
// ended by the server without allowReconnect, or out of retries.
func (c *Client) Done() <-chan struct{} { return c.done }

// EndReason is the reason the server gave in its last END, and whether it
// allowed a reconnect; empty until it sent one.
func (c *Client) EndReason() (reason string, allowReconnect bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.reason, c.allowRe
}

func (c *Client) noteEnd(reason string, allowReconnect bool) {
	c.mu.Lock()
	c.reason, c.allowRe = reason, allowReconnect
	c.mu.Unlock()
}

// beginClose marks the client closing and stops any reconnect; it returns
// the current connection (nil while there is none), and false when the
// client was already closing.
func (c *Client) beginClose() (*clientSession, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closing {
		return nil, false
	}
	c.closing = true
	close(c.stop)
	return c.sess, true
}

// Close is Shutdown with an empty reason, waiting at most
// DefaultRequestTimeout.
func (c *Client) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), DefaultRequestTimeout)
	defer cancel()
	return c.Shutdown(ctx, "")
}

// Shutdown ends the client gracefully: it waits for pending requests to be
// answered (or to fail), sends END {m: reason, a: false}, half-closes, and
// waits until the server closes too (at most until ctx ends). It does not
// reconnect after.
func (c *Client) Shutdown(ctx context.Context, reason string) error {
	s, first := c.beginClose()
	if !first {
		return ErrConnClosed
	}
	var err error
	if s != nil {
		err = s.close(ctx, reason)
	}
	<-c.done
	return err
}

// Destroy closes the client at once; pending requests fail with
// ErrConnClosed.
func (c *Client) Destroy() { c.DestroyWith(nil) }

// DestroyWith is Destroy with a reason, as net-ipc's destroy(reason): the
// reason is the client's own (nothing is sent; the server sees the
// connection drop): OnError receives it, unless nil, and the requests
// pending fail with an error that wraps both ErrConnClosed and it.
func (c *Client) DestroyWith(reason error) {
	s, first := c.beginClose()
	if first && reason != nil && c.opts.OnError != nil {
		c.opts.OnError(reason)
	}
	if s != nil {
		s.destroy(reason)
	}
	<-c.done
}
