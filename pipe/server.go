package pipe

import (
	"net"
	"os"

	"github.com/uvpipe/uvpipe/uv"
)

// ServerConfig configures a Server. The zero value is useful.
type ServerConfig struct {
	// Config configures the accepted pipes (IPC, read buffer size, loop).
	// The listening socket itself is never IPC: libuv refuses to listen on
	// an IPC pipe, but accepts connections into IPC pipes.
	Config

	// Backlog is the listen backlog; 0 means 511, as Node and Bare. On
	// Windows, where a named pipe server has no listen queue, it is how
	// many instances of the pipe wait for clients; 0 means 128 there.
	Backlog int

	// Mode, if not zero, is applied to the socket file after it is bound.
	Mode os.FileMode
}

// Server is a unix socket server: a net.Listener whose connections are
// Pipes. It serves in Go's style (Accept in a loop, a goroutine per
// connection) or in bare-pipe's event style (OnConnection), and counts the
// connections it accepted until they close (Shutdown waits for them).
type Server struct {
	l    *uv.Pipe
	cfg  ServerConfig
	addr *net.UnixAddr
	conns
}

func newServer(l *uv.Pipe, cfg ServerConfig, addr *net.UnixAddr) *Server {
	return &Server{l: l, cfg: cfg, addr: addr, conns: newConns()}
}

// Listen listens on the unix socket path with the zero ServerConfig.
func Listen(path string) (*Server, error) { return ServerConfig{}.Listen(path) }

// Listen listens on the unix socket path. A socket file left by a server
// that is gone (a dial finds nobody listening) is replaced; a live one makes
// Listen fail with EADDRINUSE. The file is removed when the server closes.
// On Linux a path beginning with '@' is an abstract socket (no file; Mode
// cannot apply), and an empty path autobinds to a fresh abstract name, which
// Addr returns.
//
// On Windows path names a named pipe, by PipeName's rule (a \\.\pipe\ name
// as it is, another path as @isdk/ipc-server and net-ipc map it); an empty
// path takes a fresh name (\\.\pipe\uvpipe-<pid>-<n>-<random>), and Addr
// returns the name. A name a live server holds is EADDRINUSE; there is no
// file to replace or remove, and Mode is refused (errors.ErrUnsupported).
func (c ServerConfig) Listen(path string) (*Server, error) {
	path = listenName(path)
	addr := &net.UnixAddr{Name: path, Net: "unix"}
	if err := c.check(); err != nil {
		return nil, &net.OpError{Op: "listen", Net: "unix", Addr: addr, Err: err}
	}
	l, err := c.bindPath(path)
	if err != nil {
		return nil, &net.OpError{Op: "listen", Net: "unix", Addr: addr, Err: err}
	}
	if c.Mode != 0 {
		if err := applyMode(path, c.Mode); err != nil {
			l.Close()
			return nil, &net.OpError{Op: "listen", Net: "unix", Addr: addr, Err: err}
		}
	}
	if err := l.Listen(c.Backlog); err != nil {
		l.Close()
		return nil, &net.OpError{Op: "listen", Net: "unix", Addr: addr, Err: err}
	}
	addr = boundAddr(l, addr)
	return newServer(l, c, addr), nil
}

func (c ServerConfig) bind(path string) (*uv.Pipe, error) {
	l, err := uv.NewPipe(c.loop(), false, 0)
	if err != nil {
		return nil, err
	}
	if err := l.Bind(path); err != nil {
		l.Close()
		return nil, err
	}
	return l, nil
}

// Accept waits for a connection and returns it as a *Pipe. After Close it
// returns net.ErrClosed. With an error the net.Conn is nil, as Go's
// listeners return it.
func (s *Server) Accept() (net.Conn, error) {
	p, err := s.AcceptPipe()
	if err != nil {
		return nil, err
	}
	return p, nil
}

// AcceptPipe is Accept with the concrete type.
func (s *Server) AcceptPipe() (*Pipe, error) {
	s.startAccept()
	p, err := s.l.Accept(s.cfg.IPC, s.cfg.ReadBufferSize)
	if err != nil {
		s.endAccept(nil)
		return nil, &net.OpError{Op: "accept", Net: "unix", Addr: s.addr, Err: err}
	}
	c := wrap(p, s.cfg.Config)
	c.srv = s
	s.endAccept(c)
	return c, nil
}

// Close stops listening and removes the socket file, at once. Accept calls
// blocked on it return net.ErrClosed; connections already accepted stay
// open (as in bare-pipe, whose close leaves them open too): Shutdown waits
// for them to close.
func (s *Server) Close() error {
	s.stopListening()
	return s.l.Close()
}

// Addr returns the server's address.
func (s *Server) Addr() net.Addr { return s.addr }

// Ref makes the server keep its loop alive (the default).
func (s *Server) Ref() { s.l.Ref() }

// Unref makes the server stop keeping its loop alive.
func (s *Server) Unref() { s.l.Unref() }
