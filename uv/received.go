package uv

/*
#include "shim.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// mark is where handles arrived in an IPC pipe's stream: before the byte at
// off (counted from the first unread byte).
type mark struct {
	off int
	hs  []*Received
}

// Received is a handle that arrived on an IPC pipe and was taken from libuv's
// pending queue into a handle of its own (a TCP, Pipe or UDP handle by its
// type; a Pipe holds the fd of any other kind). Take it with AcceptInto,
// File or Handle, or Close it; a Received never taken is closed with the pipe
// it came on only if the program closes it: the program owns it.
type Received struct {
	Type HandleType // the type libuv saw (uv_pipe_pending_type)
	h    IPCAcceptable
}

// Handle returns the handle holding the received fd: a *TCP, *Pipe or *UDP on
// the loop of the pipe it came on. It is the program's now.
func (r *Received) Handle() IPCAcceptable { return r.h }

// Close closes the received handle.
func (r *Received) Close() error { return r.h.IPCHandle().Close() }

// File returns a new *os.File for the received fd (a duplicate, close-on-exec)
// and closes the handle. net.FileConn, net.FileListener and
// net.FilePacketConn turn it into Go's own types.
func (r *Received) File() (*os.File, error) {
	h := r.h.IPCHandle()
	fd, err := h.dupFD()
	h.Close()
	if err != nil {
		return nil, err
	}
	return os.NewFile(uintptr(fd), fmt.Sprintf("uv-%v-%d", r.Type, fd)), nil
}

// AcceptInto moves the received handle into target, which must be a handle
// of the right kind (TCP for TCP, Pipe for a pipe, UDP for UDP) without an fd
// yet, on any loop; target's IPCAccepted hook runs after. The received handle
// is closed.
func (r *Received) AcceptInto(target IPCAcceptable) error {
	h := r.h.IPCHandle()
	t := target.IPCHandle()
	if t.typ != h.typ {
		return fmt.Errorf("uv: cannot accept a %v handle into a %v target", h.typ, t.typ)
	}
	fd, err := h.dupFD()
	if err != nil {
		return err
	}
	if err := t.openFD(fd); err != nil {
		unix.Close(fd)
		return err
	}
	h.Close()
	accepted(target)
	return nil
}

// accepted runs target's IPCAccepted hook, if it has one, under its loop lock.
func accepted(target IPCAcceptable) {
	if hook, ok := target.(IPCAcceptHook); ok {
		target.IPCHandle().loop.Do(hook.IPCAccepted)
	}
}

// dupFD returns a close-on-exec duplicate of the handle's fd.
func (h *Handle) dupFD() (int, error) {
	var fd int
	err := h.Control(func(raw int) error {
		var err error
		fd, err = unix.FcntlInt(uintptr(raw), unix.F_DUPFD_CLOEXEC, 0)
		return os.NewSyscallError("fcntl", err)
	})
	return fd, err
}

// Control runs f with the handle's fd under the loop lock, so the fd stays
// open and is not reused while f runs (as syscall.RawConn.Control).
func (h *Handle) Control(f func(fd int) error) error {
	return h.locked(func() error {
		var fd C.uv_os_fd_t
		if r := C.uv_fileno(h.uv(), &fd); r < 0 {
			return check("uv_fileno", r)
		}
		return f(int(fd))
	})
}

// openFD makes a fresh handle use fd, by its type. Called without the lock.
func (h *Handle) openFD(fd int) error {
	return h.locked(func() error {
		var r C.int
		switch h.typ {
		case TCPHandle:
			r = C.uv_tcp_open(h.tcpPtr(), C.uv_os_sock_t(fd))
		case NamedPipe:
			r = C.uv_pipe_open(h.pipePtr(), C.uv_file(fd))
		case UDPHandle:
			r = C.uv_udp_open(h.udpPtr(), C.uv_os_sock_t(fd))
		default:
			return fmt.Errorf("uv: cannot open an fd in a %v handle", h.typ)
		}
		return check("open", r)
	})
}

// GuessHandle returns the libuv type of the handle fd would make
// (uv_guess_handle): TCPHandle, UDPHandle, NamedPipe, TTY, File or Unknown.
func GuessHandle(fd int) HandleType { return HandleType(C.uv_guess_handle(C.uv_file(fd))) }

// OpenFD makes a handle of fd's kind on loop l (the default loop if nil): a
// *TCP for a TCP socket, a *UDP for a UDP socket, a *Pipe for a unix stream
// socket or an OS pipe. The handle owns fd. Other kinds are an error.
func OpenFD(l *Loop, fd int) (IPCAcceptable, error) {
	var h IPCAcceptable
	var err error
	switch t := GuessHandle(fd); t {
	case TCPHandle:
		h, err = NewTCP(l)
	case UDPHandle:
		h, err = NewUDP(l)
	case NamedPipe:
		h, err = NewPipe(l, false, 0)
	default:
		return nil, fmt.Errorf("uv: fd %d is a %v, not a socket or pipe libuv can hold", fd, t)
	}
	if err != nil {
		return nil, err
	}
	if err := h.IPCHandle().openFD(fd); err != nil {
		h.IPCHandle().Close()
		return nil, err
	}
	return h, nil
}

// errNotIPC is returned for handle operations on a pipe made without ipc.
var errNotIPC = errors.New("uv: the pipe is not an IPC pipe")
