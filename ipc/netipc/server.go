package netipc

import (
	"encoding/json"
	"errors"
	"net"
	"os"
	"sync"
	"time"

	"github.com/uvpipe/uvpipe/ipc/netipc/wire"
	"github.com/uvpipe/uvpipe/pipe"
)

// DefaultConnectionTimeout is how long a server waits for a new connection's
// CONNECTION packet before closing it, as net-ipc does.
const DefaultConnectionTimeout = 10 * time.Second

// ServerOptions configures a net-ipc Server. The zero value listens on
// DefaultServerPath with no handlers.
type ServerOptions struct {
	Path              string        // socket path; DefaultServerPath() when empty
	MaxPacketSize     int           // DefaultMaxPacketSize when <= 0
	MaxConnections    int           // 0: no limit; more are closed at once
	ConnectionTimeout time.Duration // DefaultConnectionTimeout when 0
	GenerateID        func() string // connection ids; a random base-36 id when nil
	// Loops is how many libuv loops of its own the server spreads its
	// connections over, round robin, each with its own leader thread;
	// Close closes them. 0 means one when GOMAXPROCS > 1, and the default
	// loop (shared with the process's other pipes) when GOMAXPROCS is 1.
	Loops int
	// HandleOnLoop serves established connections in the event style:
	// each read's packets are decoded and handled inside libuv's read
	// callback, on the thread that runs the connection's loop, and replies
	// are written (or queued) there, so a request costs no goroutine
	// switch. Handlers (OnMessage, OnRequest) then run on the loop and must
	// not block: not wait on a channel, a lock held across I/O, nor call
	// ServerConn.Request or Ping (whose answer the same loop would have to
	// read); hand such work to a goroutine and answer with reply from
	// there. OnConnect, OnDisconnect and OnError for a preamble still run on
	// the connection's goroutine. With Loops > 1, a publication written from
	// one loop to a client on another waits for that loop when the client's
	// socket is full.
	HandleOnLoop bool

	// OnReady is called once the server listens, with its real address,
	// before Listen returns.
	OnReady func(addr net.Addr)
	// OnClose is called once Close has ended every connection.
	OnClose func()
	// OnConnect is called with the client's CONNECTION extras before the
	// server answers; an error rejects the client (it is sent END with the
	// error's text and closed).
	OnConnect func(c *ServerConn, extras json.RawMessage) error
	// OnMessage receives each MESSAGE.
	OnMessage func(c *ServerConn, data json.RawMessage)
	// OnRequest handlers are called in order for each REQUEST that is not
	// publish/subscribe. One that returns true has answered (or will answer,
	// with reply, from any goroutine) and stops the rest; when none does, the
	// server sends an empty RESPONSE so the client is never left waiting.
	OnRequest []func(c *ServerConn, req json.RawMessage, reply func(any) error) bool
	// OnDisconnect is called once per connected client that goes, with the
	// reason it gave in END (or the error that ended it).
	OnDisconnect func(c *ServerConn, reason string)
	// OnError receives per-connection errors: packets that do not parse,
	// data before CONNECTION, a rejected preamble.
	OnError func(c *ServerConn, err error)
}

// ErrPrematurePacket is the error for a data packet sent before CONNECTION.
var ErrPrematurePacket = errors.New("netipc: packet received before the connection was established")

// Server is a net-ipc / @isdk/ipc-server server on a unix socket. Handlers
// of one connection run one at a time, on that connection's goroutine (or,
// with HandleOnLoop, inside its loop's read callback once it is
// established).
type Server struct {
	opts  ServerOptions
	ln    *pipe.Server
	loops *serverLoops
	wg    sync.WaitGroup

	mu     sync.Mutex
	conns  map[*ServerConn]struct{}
	all    map[*ServerConn]struct{} // including those not yet connected
	topics map[string]map[*ServerConn]struct{}
	closed bool
}

// Listen starts a server on opts.Path, removing a stale socket file
// there first, as net-ipc does.
func Listen(opts ServerOptions) (*Server, error) {
	if opts.Path == "" {
		opts.Path = DefaultServerPath()
	}
	if opts.ConnectionTimeout == 0 {
		opts.ConnectionTimeout = DefaultConnectionTimeout
	}
	if opts.GenerateID == nil {
		opts.GenerateID = newNonce
	}
	if fi, err := os.Lstat(opts.Path); err == nil && fi.Mode()&os.ModeSocket != 0 {
		_ = os.Remove(opts.Path)
	}
	loops, err := newServerLoops(opts.Loops)
	if err != nil {
		return nil, err
	}
	ln, err := pipe.ServerConfig{Config: pipe.Config{Loop: loops.loops[0]}}.Listen(opts.Path)
	if err != nil {
		loops.close()
		return nil, err
	}
	s := &Server{opts: opts, ln: ln, loops: loops, conns: map[*ServerConn]struct{}{},
		all: map[*ServerConn]struct{}{}, topics: map[string]map[*ServerConn]struct{}{}}
	if opts.OnReady != nil {
		opts.OnReady(ln.Addr())
	}
	s.wg.Add(1)
	go s.acceptLoop()
	return s, nil
}

// Addr is the address the server listens on.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

func (s *Server) acceptLoop() {
	defer s.wg.Done()
	for {
		p, err := s.ln.AcceptPipe()
		if err != nil {
			return
		}
		if p, err = s.loops.place(p); err != nil {
			continue
		}
		c := &ServerConn{wireConn: newWireConn(p), srv: s, pipe: p, done: make(chan struct{})}
		s.mu.Lock()
		if s.closed || (s.opts.MaxConnections > 0 && len(s.all) >= s.opts.MaxConnections) {
			s.mu.Unlock()
			p.Close()
			continue
		}
		s.all[c] = struct{}{}
		s.wg.Add(1)
		s.mu.Unlock()
		go c.serve()
	}
}

// Connections returns the connected clients.
func (s *Server) Connections() []*ServerConn {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*ServerConn, 0, len(s.conns))
	for c := range s.conns {
		out = append(out, c)
	}
	return out
}

// Broadcast sends a MESSAGE to every connected client and returns the
// first error.
func (s *Server) Broadcast(data any) error {
	raw, err := marshalData(data)
	if err != nil {
		return err
	}
	var first error
	for _, c := range s.Connections() {
		if err := c.write(wire.Packet{Type: wire.PacketMessage, Data: raw}); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// Close is Shutdown(false): clients are told not to reconnect.
func (s *Server) Close() error { return s.Shutdown(false) }

// Shutdown stops listening, sends END ("Server was shut down", with
// allowReconnect) to every client, closes every connection and waits for
// their goroutines (net-ipc's server.close(allowReconnect)). After the first
// call it returns net.ErrClosed.
func (s *Server) Shutdown(allowReconnect bool) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return net.ErrClosed
	}
	s.closed = true
	all := make([]*ServerConn, 0, len(s.all))
	for c := range s.all {
		all = append(all, c)
	}
	s.mu.Unlock()
	err := s.ln.Close()
	for _, c := range all {
		c.end("Server was shut down", allowReconnect)
	}
	s.wg.Wait()
	s.loops.close()
	if s.opts.OnClose != nil {
		s.opts.OnClose()
	}
	return err
}
