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
	Path              string        // socket path, resolved by ResolvePath ("" is DefaultServerPath())
	MaxPacketSize     int           // DefaultMaxPacketSize when <= 0
	ConnectionTimeout time.Duration // DefaultConnectionTimeout when 0
	GenerateID        func() string // connection ids; a random base-36 id when nil

	// MaxConnections bounds the connections open at once (0: no limit); a
	// client beyond it is sent END {m: ErrTooManyConnections' text} and
	// closed.
	MaxConnections int
	// Mode is the socket file's mode, set before the server listens:
	// DefaultSocketMode (0600, the server's user only) when 0;
	// GroupSocketMode (0660) lets the file's group connect too. On
	// Windows, where a named pipe is no file, it is not used.
	Mode os.FileMode
	// MaxOutgoingBytes bounds the bytes waiting to be written to one client
	// (DefaultMaxOutgoingBytes when <= 0), and WriteTimeout how long bytes
	// may wait without its queue ever emptying (DefaultWriteTimeout when
	// <= 0). No write to a client waits for it: what its socket does not
	// take is queued. A client past either bound is a slow consumer and is
	// dropped: OnError gets ErrSlowConsumer, the client is sent END {m:
	// "slow consumer: …"} after what is queued and half-closed, writes to
	// it fail at once, and it is closed if it has not closed within
	// CloseTimeout; OnDisconnect then gets that reason.
	MaxOutgoingBytes int
	WriteTimeout     time.Duration
	// PacketTimeout bounds the time from a packet's first byte to its last
	// once the client is connected (DefaultPacketTimeout when <= 0): a
	// client that begins a packet and stalls is closed with
	// ErrPacketTimeout. Before CONNECTION, ConnectionTimeout bounds it all.
	PacketTimeout time.Duration
	// CloseTimeout bounds how long Shutdown waits for clients to close
	// after END before it closes them (DefaultCloseTimeout when <= 0).
	CloseTimeout time.Duration
	// Loops is how many libuv loops of its own the server spreads its
	// connections over, round robin, each with its own leader thread;
	// Close closes them. 0 means one when GOMAXPROCS > 1, and the default
	// loop (shared with the process's other pipes) when GOMAXPROCS is 1.
	// On Windows a server has at most one loop of its own.
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
	// server answers. What it sends (Send) is held and goes after the
	// answer, as net-ipc's connect event comes after it. An error, or End or
	// Close called inside it, refuses the client, as @isdk's server refuses
	// one: it is sent the answer and then END with the reason (the error's
	// text) in one write, and closed, so a JavaScript client's connect()
	// settles and its close event gives the reason, and Dial returns an
	// *EndError.
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
	// data before CONNECTION, a rejected preamble, a packet not finished in
	// time, a slow consumer. ErrSlowConsumer is reported by whichever
	// goroutine (or loop callback, or timer) found the limit passed, so it
	// may run beside that connection's own handlers.
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

// Listen starts a server on opts.Path. A socket file there that nobody
// listens on (a dial is refused) is replaced, as net-ipc replaces it; one a
// live server listens on makes Listen fail with EADDRINUSE
// (errors.Is(err, syscall.EADDRINUSE)), and that server goes on. On Windows
// the path is a named pipe's name, which leaves nothing behind, and a name
// a live server holds is EADDRINUSE too (package pipe's Listen opens it as
// a client first: a server that answers there, or whose instances are all
// busy, holds it).
func Listen(opts ServerOptions) (*Server, error) {
	opts.Path = ResolvePath(opts.Path)
	if opts.ConnectionTimeout == 0 {
		opts.ConnectionTimeout = DefaultConnectionTimeout
	}
	if opts.GenerateID == nil {
		opts.GenerateID = newNonce
	}
	if opts.Mode == 0 {
		opts.Mode = DefaultSocketMode
	}
	if opts.MaxOutgoingBytes <= 0 {
		opts.MaxOutgoingBytes = DefaultMaxOutgoingBytes
	}
	if opts.WriteTimeout <= 0 {
		opts.WriteTimeout = DefaultWriteTimeout
	}
	if opts.PacketTimeout <= 0 {
		opts.PacketTimeout = DefaultPacketTimeout
	}
	if opts.CloseTimeout <= 0 {
		opts.CloseTimeout = DefaultCloseTimeout
	}
	loops, err := newServerLoops(opts.Loops)
	if err != nil {
		return nil, err
	}
	ln, err := pipe.ServerConfig{Config: pipe.Config{Loop: loops.loops[0]}, Mode: fileMode(opts.Path, opts.Mode)}.Listen(opts.Path)
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
		c.out.cut = make(chan struct{})
		c.wireConn.out = c.send
		s.mu.Lock()
		if s.closed || (s.opts.MaxConnections > 0 && len(s.all) >= s.opts.MaxConnections) {
			full := !s.closed
			s.mu.Unlock()
			if full {
				b, _ := wire.AppendPacket(nil, wire.Packet{Type: wire.PacketEnd, Data: mustJSON(endPacket{M: ErrTooManyConnections.Error()})})
				_, _ = p.UV().WriteNoWait(b, 0)
			}
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
// allowReconnect) to every client, waits for them to close (at most
// CloseTimeout; then it closes those left, whatever they do) and for their
// goroutines (net-ipc's server.close(allowReconnect)); a handler that
// blocks holds it up. After the first call it returns net.ErrClosed.
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
	waited := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(waited)
	}()
	t := time.NewTimer(s.opts.CloseTimeout)
	select {
	case <-waited:
	case <-t.C:
		s.mu.Lock()
		left := make([]*ServerConn, 0, len(s.all))
		for c := range s.all {
			left = append(left, c)
		}
		s.mu.Unlock()
		for _, c := range left {
			c.cutOff(nil)
		}
		<-waited
	}
	t.Stop()
	s.loops.close()
	if s.opts.OnClose != nil {
		s.opts.OnClose()
	}
	return err
}
