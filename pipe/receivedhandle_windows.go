package pipe

import (
	"errors"
	"net"

	"github.com/uvpipe/uvpipe/uv"
)

// On Windows a received handle is a SOCKET of a TCP server or connection
// (libuv passes nothing else there), and Go's net package cannot adopt a
// SOCKET (net.FileConn and net.FileListener are not implemented on
// Windows). So Conn and Listener hand out this package's own adapters over
// a uv.TCP on the loop of the pipe the handle came on: a *uv.TCP is a
// net.Conn itself, and TCPListener is a net.Listener.

// Conn returns a TCP connection handle as a net.Conn: the *uv.TCP holding
// it, on the loop of the pipe it came on (Go's *net.TCPConn cannot hold a
// passed SOCKET on Windows). A listening socket is refused and kept.
func (h *ReceivedHandle) Conn() (net.Conn, error) {
	if h.kind.IsListener() {
		return nil, errListening
	}
	u, err := h.r.Handle()
	if err != nil {
		return nil, err
	}
	return u.(*uv.TCP), nil
}

// errListening is Conn's error for a listening socket; the handle is kept.
var errListening = errors.New("pipe: the handle is a listening socket, not a connection (Listener is for it)")

// PacketConn fails on Windows: libuv passes no UDP socket there, so no
// received handle is one.
func (h *ReceivedHandle) PacketConn() (net.PacketConn, error) {
	return nil, unsupported("a received UDP socket (libuv passes TCP handles only)")
}

// Listener returns a listening TCP socket handle as a net.Listener: a
// *TCPListener over a uv.TCP on the loop of the pipe it came on (serve
// net/http on it, say). A socket that does not listen is refused with
// ErrNotListening and the handle is kept.
func (h *ReceivedHandle) Listener() (net.Listener, error) {
	if h.kind.IsConn() || h.kind == KindUDP {
		return nil, ErrNotListening
	}
	u, err := h.r.Handle()
	if err != nil {
		return nil, err
	}
	t := u.(*uv.TCP)
	// libuv accepts on a TCP handle only once it listens itself (its
	// AcceptEx requests); listen(2) again on a listening SOCKET keeps it as
	// it is.
	if err := t.Listen(0); err != nil {
		t.Close()
		return nil, err
	}
	return &TCPListener{t: t}, nil
}

// TCPListener is a net.Listener over a listening uv.TCP: on Windows, what a
// received listening socket becomes (ReceivedHandle.Listener). Accept
// returns *uv.TCP connections on the same loop.
type TCPListener struct {
	t *uv.TCP
}

// Accept waits for a connection and returns it as a *uv.TCP. After Close it
// returns net.ErrClosed; with an error the net.Conn is nil.
func (l *TCPListener) Accept() (net.Conn, error) {
	c, err := l.t.Accept()
	if err != nil {
		return nil, &net.OpError{Op: "accept", Net: "tcp", Addr: l.Addr(), Err: err}
	}
	return c, nil
}

// Close stops listening; connections already accepted stay open.
func (l *TCPListener) Close() error { return l.t.Close() }

// Addr returns the address the socket listens on.
func (l *TCPListener) Addr() net.Addr { return l.t.LocalAddr() }

// UV returns the uv TCP handle underneath.
func (l *TCPListener) UV() *uv.TCP { return l.t }

// socketType is the libuv type of a Go socket's SOCKET, read with KindOf
// (uv_guess_handle takes a CRT fd on Windows, not a SOCKET).
func socketType(fd int) uv.HandleType {
	k, _ := KindOf(fd)
	return k.Type()
}

// AdoptReceived makes a ReceivedHandle of fd, a SOCKET of a TCP server or
// connection this process got otherwise than from libuv's transfer (see
// uv.AdoptReceived), on p's loop and configured as p, as if it had arrived
// on p. The handle owns fd from then on.
func (p *Pipe) AdoptReceived(fd int) *ReceivedHandle {
	return newReceived(uv.AdoptReceived(p.p.Loop(), fd), p.cfg)
}
