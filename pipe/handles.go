package pipe

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"

	"golang.org/x/sys/unix"

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

// Handle is a handle that arrived on an IPC pipe. The program owns it: turn
// it into what it needs, or Close it.
type Handle struct {
	r   *uv.Received
	cfg Config
}

// Type is the handle's libuv type: uv.TCPHandle, uv.NamedPipe, uv.UDPHandle,
// or another kind of fd (uv.FileHandle, uv.UnknownHandle).
func (h *Handle) Type() uv.HandleType { return h.r.Type }

// Close closes the handle.
func (h *Handle) Close() error { return h.r.Close() }

// File returns the handle's fd as an *os.File (close-on-exec) and releases
// the handle.
func (h *Handle) File() (*os.File, error) { return h.r.File() }

// Conn returns the handle as a Go net.Conn (*net.TCPConn for TCP,
// *net.UnixConn for a unix socket), releasing the handle.
func (h *Handle) Conn() (net.Conn, error) {
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
// (SO_ACCEPTCONN is off) is refused with ErrNotListening and the handle is
// kept.
func (h *Handle) Listener() (net.Listener, error) {
	if fd := h.Fd(); fd >= 0 {
		on, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_ACCEPTCONN)
		if err == nil && on == 0 {
			return nil, ErrNotListening
		}
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
func (h *Handle) PacketConn() (net.PacketConn, error) {
	f, err := h.File()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return net.FilePacketConn(f)
}

// Pipe returns a pipe handle as a *Pipe, configured as the pipe it came on
// (IPC off), releasing the handle.
func (h *Handle) Pipe() (*Pipe, error) {
	if h.r.Type != uv.NamedPipe {
		return nil, fmt.Errorf("pipe: a %v handle is not a pipe", h.r.Type)
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
func (h *Handle) Fd() int { return h.r.Fd() }

// AcceptInto moves the handle into target (a uv handle of the right kind, on
// any loop, without an fd yet); target's IPCAccepted hook runs after.
func (h *Handle) AcceptInto(target uv.IPCAcceptable) error { return h.r.AcceptInto(target) }

// ReadHandles reads like Read, and also returns the handles that arrived
// with the returned bytes (before them), in arrival order. It does not read
// past a place where handles arrived. Only an IPC pipe receives handles.
func (p *Pipe) ReadHandles(b []byte) (int, []*Handle, error) {
	if p.writeOnly && !p.closed.Load() {
		return 0, nil, p.readErr(io.EOF)
	}
	n, rs, err := p.p.ReadHandles(b)
	var hs []*Handle
	for _, r := range rs {
		hs = append(hs, &Handle{r: r, cfg: p.cfg})
	}
	if err != nil {
		err = p.readErr(err)
	}
	return n, hs, err
}

// OnHandle sets bare-pipe's 'handle' event (use it with OnRead): fn runs in
// the read callback once per pending handle, before that read's data, with
// the handle's type, and accepts it with Accept; a handle it leaves pending is
// announced again with the next read, and closed with the pipe.
func (p *Pipe) OnHandle(fn func(t uv.HandleType)) { p.p.OnHandle(fn) }

// ErrNoPendingHandle is returned by Accept when no handle is pending.
var ErrNoPendingHandle = uv.ErrNoPendingHandle

// Accept accepts the first pending handle into target (a *Pipe, or a uv
// handle of the pending handle's type), as bare-pipe's pipe.accept: target
// holds it after, in its own type. A target of the wrong type is an error
// and the handle stays pending.
func (p *Pipe) Accept(target uv.IPCAcceptable) error {
	if target == nil {
		return errors.New("pipe: Accept needs a target")
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
