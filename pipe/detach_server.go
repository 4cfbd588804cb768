package pipe

import (
	"net"

	"github.com/uvpipe/uvpipe/uv"
)

// DetachedServer is a Server taken off its loop by Detach, to listen on
// another loop (Attach).
type DetachedServer struct {
	d    *uv.Detached
	cfg  ServerConfig
	addr *net.UnixAddr
}

// Detach takes the server off its loop, as uv.Pipe.Detach moves a
// listener: the socket keeps listening (connections queue in its backlog),
// its file stays, and a connection accepted and not yet returned goes along.
// The Server returns net.ErrClosed from then on.
func (s *Server) Detach() (*DetachedServer, error) {
	d, err := s.l.Detach()
	if err != nil {
		return nil, &net.OpError{Op: "detach", Net: "unix", Addr: s.addr, Err: err}
	}
	s.stopListening()
	return &DetachedServer{d: d, cfg: s.cfg, addr: s.addr}, nil
}

// Attach makes the server listen on loop l (the default loop if nil), with
// its ServerConfig and address; the pipes it accepts live on l. Closing it
// removes the socket file, as before. Attach once.
func (d *DetachedServer) Attach(l *uv.Loop) (*Server, error) {
	if l == nil {
		l = uv.Default()
	}
	h, err := d.d.Attach(l)
	if err != nil {
		return nil, &net.OpError{Op: "listen", Net: "unix", Addr: d.addr, Err: err}
	}
	cfg := d.cfg
	cfg.Loop = l
	return newServer(h.(*uv.Pipe), cfg, d.addr), nil
}

// Close closes a server never attached, as Server.Close: the socket file
// is removed.
func (d *DetachedServer) Close() error { return d.d.Close() }
