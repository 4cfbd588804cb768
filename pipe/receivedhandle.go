package pipe

import (
	"errors"
	"fmt"
	"os"

	"github.com/uvpipe/uvpipe/uv"
)

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
	k, _ := KindOf(r.Fd()) // an fd just received is open
	return &ReceivedHandle{r: r, kind: k, cfg: cfg}
}

// Kind is what the handle is, read from its fd when it arrived: a TCP or
// unix listener or connection, a UDP socket, a file, or unknown.
func (h *ReceivedHandle) Kind() HandleKind { return h.kind }

// Close closes the handle.
func (h *ReceivedHandle) Close() error { return h.r.Close() }

// File returns the handle's fd as an *os.File (close-on-exec) and releases
// the handle.
func (h *ReceivedHandle) File() (*os.File, error) { return h.r.File() }

// ErrNotListening is returned by Listener for a handle that is a socket but
// not a listening one (a connection: Conn is for it); the handle is kept.
var ErrNotListening = errors.New("pipe: the handle is not a listening socket")

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
