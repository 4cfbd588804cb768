package pipe

import (
	"errors"
	"fmt"
	"io"
	"net"
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
		if socketType(fd) == uv.NamedPipe { // a stream socket, not a datagram one
			return uv.NamedPipe
		}
	}
	return socketType(fd)
}

// ReadHandles reads like Read (at most the read buffer's size), and also
// returns the handles that arrived with the returned bytes (before them), in
// arrival order. It does not read past a place where handles arrived. Only
// an IPC pipe receives handles.
func (p *Pipe) ReadHandles(b []byte) (int, []*ReceivedHandle, error) {
	if p.writeOnly && !p.closed.Load() {
		return 0, nil, p.readErr(io.EOF)
	}
	n, rs, err := p.p.ReadHandles(p.chunk(b))
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
