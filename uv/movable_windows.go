//go:build cgo

package uv

import (
	"fmt"
	"syscall"
)

// movable tells whether a handle of type t (an IPC pipe with ipc, a
// listener with listening) can move between loops on Windows: a TCP
// connection and a named pipe connection that is not IPC can; for any other
// it returns ErrNotMovable with the reason (see ErrNotMovable).
func movable(t HandleType, ipc, listening bool) error {
	var why string
	switch {
	case t == NamedPipe && listening:
		why = "a pipe server: libuv's pipe instances wait on their own loop's completion port"
	case t == NamedPipe && ipc:
		why = "an IPC pipe: libuv keeps a half-read frame's state in the handle"
	case listening:
		why = "a listener: libuv may hold connections it accepted ahead"
	case t == UDPHandle:
		why = "a UDP socket: not done on Windows"
	default:
		return nil
	}
	return fmt.Errorf("%w: %s: %w", ErrNotMovable, why, syscall.ENOTSUP)
}

// closeDetachedFD closes the fd a Detached of type t owns: a pipe's is a C
// runtime fd (uv_pipe_open takes one), a socket's a SOCKET.
func closeDetachedFD(t HandleType, fd int) error {
	if t == NamedPipe {
		return CRTClose(fd)
	}
	return closeFD(fd)
}
