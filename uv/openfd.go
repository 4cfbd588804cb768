package uv

/*
#include "shim.h"
*/
import "C"

import (
	"fmt"
	"os"
	"syscall"
)

// dupFD returns a close-on-exec duplicate of the handle's fd.
func (h *Handle) dupFD() (int, error) {
	var fd int
	err := h.Control(func(raw int) error {
		var err error
		fd, err = dupFD(raw)
		return err
	})
	return fd, err
}

// ownDup makes a scratch handle (WriteFD's) hold a duplicate of the fd it
// borrows, and own it: closing the handle closes the duplicate. On failure
// the handle is left as it was. Called with the lock held.
func (h *Handle) ownDup() error {
	if r := C.uvp_scratch_own(h.ch); r < 0 {
		return os.NewSyscallError("fcntl", syscall.Errno(-r))
	}
	h.scratch = false
	return nil
}

// Control runs f with the handle's fd under the loop lock, so the fd stays
// open and is not reused while f runs (as syscall.RawConn.Control). Inside a
// handler of another loop it returns ErrWouldBlock when the handle's loop is
// busy, rather than wait for it.
func (h *Handle) Control(f func(fd int) error) error {
	return h.lockedHere(func() error {
		var fd C.uv_os_fd_t
		if r := C.uv_fileno(h.uv(), &fd); r < 0 {
			return check("uv_fileno", r)
		}
		return f(osFD(fd))
	})
}

// openFD makes a fresh handle use fd, by its type. Called without the lock.
func (h *Handle) openFD(fd int) error {
	return h.lockedHere(func() error { return h.openLocked(fd) })
}

// openLocked is openFD with the lock held.
func (h *Handle) openLocked(fd int) error {
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
}

// GuessHandle returns the libuv type of the handle fd would make
// (uv_guess_handle): TCPHandle, UDPHandle, NamedPipe, TTYHandle, FileHandle
// or UnknownHandle.
func GuessHandle(fd int) HandleType { return HandleType(C.uv_guess_handle(C.uv_file(fd))) }

// OpenFD makes a handle of fd's kind on loop l (the default loop if nil): a
// *TCP for a TCP socket, a *UDP for a UDP socket, a *Pipe for a unix stream
// socket or an OS pipe. The handle owns fd. Other kinds are an error, and on
// error fd is left open.
func OpenFD(l *Loop, fd int) (IPCAcceptable, error) {
	return OpenFDAs(l, fd, GuessHandle(fd))
}

// OpenFDAs is OpenFD for an fd whose kind the caller knows (TCPHandle,
// UDPHandle or NamedPipe), without asking the kernel.
func OpenFDAs(l *Loop, fd int, t HandleType) (IPCAcceptable, error) {
	var h IPCAcceptable
	var err error
	switch t {
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
