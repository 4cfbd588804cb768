//go:build !windows

package pipe

import (
	"net"

	"github.com/uvpipe/uvpipe/uv"
)

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

// socketType is the libuv type of a Go socket's fd (uv_guess_handle).
func socketType(fd int) uv.HandleType { return uv.GuessHandle(fd) }
