package pipe

import (
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"

	"github.com/uvpipe/uvpipe/uv"
)

// WriteHandle writes b with h travelling alongside its first bytes. h is a
// uv.IPCAcceptable (a *Pipe, *uv.TCP, *uv.Pipe, *uv.UDP or a type of the
// program's own), or a Go socket: *net.TCPConn, *net.TCPListener,
// *net.UDPConn, *net.UnixConn, *net.UnixListener, or an *os.File holding a
// socket (any syscall.Conn whose fd is a socket). The sender keeps its own h.
func (p *Pipe) WriteHandle(b []byte, h any) (int, error) {
	var n int
	var err error
	switch v := h.(type) {
	case uv.IPCAcceptable:
		n, err = p.p.WriteHandle(b, v)
	case syscall.Conn:
		n, err = p.writeGoSocket(b, v)
	default:
		err = fmt.Errorf("pipe: cannot send a %T: it is neither a uv.IPCAcceptable nor a syscall.Conn", h)
	}
	if err != nil {
		return n, p.opError("write", err)
	}
	return n, nil
}

// writeGoSocket writes b with a Go socket's fd alongside. The fd is only
// borrowed for the write (uv.Pipe.WriteFD): no duplicate, no uv handle.
func (p *Pipe) writeGoSocket(b []byte, c syscall.Conn) (int, error) {
	rc, err := c.SyscallConn()
	if err != nil {
		return 0, err
	}
	var n int
	var werr error
	if err := rc.Control(func(fd uintptr) {
		n, werr = p.p.WriteFD(b, int(fd), goSocketKind(c, int(fd)))
	}); err != nil {
		return 0, err
	}
	return n, werr
}

// goSocketKind is the libuv type of a Go socket, known from its Go type
// without asking the kernel; other kinds (an *os.File) are guessed.
func goSocketKind(c syscall.Conn, fd int) uv.HandleType {
	switch c.(type) {
	case *net.TCPConn, *net.TCPListener:
		return uv.TCPHandle
	case *net.UDPConn:
		return uv.UDPHandle
	case *net.UnixConn, *net.UnixListener:
		if uv.GuessHandle(fd) == uv.NamedPipe { // a stream socket, not a datagram one
			return uv.NamedPipe
		}
	}
	return uv.GuessHandle(fd)
}

// ReceivedHandle is a handle that arrived on an IPC pipe: an fd the program
// owns (not a uv.Handle, which is a handle of a libuv loop). Turn it into
// what it needs (Conn, Listener, PacketConn, Pipe, File, AcceptInto), or
// Close it.
type ReceivedHandle struct {
	r    *uv.Received
	kind HandleKind
	cfg  Config
}

// newReceived wraps r, reading its kind from its fd while it has one.
func newReceived(r *uv.Received, cfg Config) *ReceivedHandle {
	return &ReceivedHandle{r: r, kind: kindOfFD(r.Fd()), cfg: cfg}
}

// Kind is what the handle is, read from its fd when it arrived: a TCP or
// unix listener or connection, a UDP socket, a file, or unknown.
func (h *ReceivedHandle) Kind() HandleKind { return h.kind }

// Close closes the handle.
func (h *ReceivedHandle) Close() error { return h.r.Close() }

// File returns the handle's fd as an *os.File (close-on-exec) and releases
// the handle.
func (h *ReceivedHandle) File() (*os.File, error) { return h.r.File() }

// Conn returns the handle as a Go net.Conn (*net.TCPConn for TCP,
// *net.UnixConn for a unix socket), releasing the handle.
func (h *ReceivedHandle) Conn() (net.Conn, error) {
	f, err := h.File()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return net.FileConn(f)
}

// ErrNotListening is returned by Listener for a handle that is a socket but
// not a listening one (a connection: Conn is for it); the handle is kept.
var ErrNotListening = errors.New("pipe: the handle is not a listening socket")

// Listener returns a listening socket handle as a Go net.Listener (serve
// net/http on it, say), releasing the handle. A socket that does not listen
// (its Kind is not a listener: SO_ACCEPTCONN was off) is refused with
// ErrNotListening and the handle is kept.
func (h *ReceivedHandle) Listener() (net.Listener, error) {
	if h.kind.IsConn() || h.kind == KindUDP {
		return nil, ErrNotListening
	}
	f, err := h.File()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return net.FileListener(f)
}

// PacketConn returns a UDP handle as a Go net.PacketConn, releasing the
// handle.
func (h *ReceivedHandle) PacketConn() (net.PacketConn, error) {
	f, err := h.File()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return net.FilePacketConn(f)
}

// Pipe returns a pipe handle as a *Pipe, configured as the pipe it came on
// (IPC off), releasing the handle.
func (h *ReceivedHandle) Pipe() (*Pipe, error) {
	if h.r.Type != uv.NamedPipe {
		return nil, fmt.Errorf("pipe: a %v handle is not a pipe", h.kind)
	}
	u, err := h.r.Handle()
	if err != nil {
		return nil, err
	}
	cfg := h.cfg
	cfg.IPC = false
	return wrap(u.(*uv.Pipe), cfg), nil
}

// Fd returns the received fd, still owned by the handle, or -1 once taken.
func (h *ReceivedHandle) Fd() int { return h.r.Fd() }

// AcceptInto moves the handle into target (a uv handle of the right kind, on
// any loop, without an fd yet); target's IPCAccepted hook runs after.
func (h *ReceivedHandle) AcceptInto(target uv.IPCAcceptable) error { return h.r.AcceptInto(target) }

// ReadHandles reads like Read, and also returns the handles that arrived
// with the returned bytes (before them), in arrival order. It does not read
// past a place where handles arrived. Only an IPC pipe receives handles.
func (p *Pipe) ReadHandles(b []byte) (int, []*ReceivedHandle, error) {
	n, rs, err := p.p.ReadHandles(b)
	var hs []*ReceivedHandle
	for _, r := range rs {
		hs = append(hs, newReceived(r, p.cfg))
	}
	if err != nil {
		err = p.readErr(err)
	}
	return n, hs, err
}

// OnHandle sets bare-pipe's 'handle' event (use it with OnRead): fn runs in
// the read callback once per pending handle, before that read's data, with
// the handle's libuv type (the fd is still libuv's, so whether it listens is
// not known yet: HandleKind.Type maps a kind to this type), and accepts it
// with AcceptHandle; a handle it leaves pending is
// announced again with the next read, and closed with the pipe.
func (p *Pipe) OnHandle(fn func(t uv.HandleType)) { p.p.OnHandle(fn) }

// ErrNoPendingHandle is returned by AcceptHandle when no handle is pending.
var ErrNoPendingHandle = uv.ErrNoPendingHandle

// AcceptHandle accepts the first pending handle into target (a *Pipe, or a uv
// handle of the pending handle's type), as bare-pipe's pipe.accept: target
// holds it after, in its own type. A target of the wrong type is an error
// and the handle stays pending.
func (p *Pipe) AcceptHandle(target uv.IPCAcceptable) error {
	if target == nil {
		return errors.New("pipe: AcceptHandle needs a target")
	}
	return p.p.AcceptHandle(target)
}

// NewTarget makes an empty pipe, configured as c, to accept a received pipe
// handle into (bare-pipe's new Pipe()).
func (c Config) NewTarget() (*Pipe, error) {
	p, err := c.newPipe()
	if err != nil {
		return nil, err
	}
	return wrap(p, c), nil
}
