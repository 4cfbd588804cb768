package uv

/*
#include "shim.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// mark is where handles arrived in an IPC pipe's stream: before the byte at
// off (counted from the first unread byte).
type mark struct {
	off int
	hs  []*Received
}

// Received is a handle that arrived on an IPC pipe, taken from libuv's
// pending queue as the fd itself (close-on-exec). The program owns it: take
// it with Handle, AcceptInto or File, or Close it. Once taken, the Received
// is empty and Close does nothing. A Received is not safe for concurrent use.
type Received struct {
	Type HandleType // the type libuv saw (uv_pipe_pending_type)
	fd   int        // -1 once taken or closed
	loop *Loop      // the loop of the pipe it came on
}

// Fd returns the received fd, still owned by r, or -1 once taken.
func (r *Received) Fd() int { return r.fd }

// take hands the fd over: r no longer owns it.
func (r *Received) take() (int, error) {
	if r.fd < 0 {
		return -1, errTaken
	}
	fd := r.fd
	r.fd = -1
	return fd, nil
}

var errTaken = errors.New("uv: the received handle was already taken or closed")

// Handle makes a handle of the fd's kind (a *TCP, *UDP or *Pipe) on the loop
// of the pipe it came on, as OpenFD.
func (r *Received) Handle() (IPCAcceptable, error) {
	fd, err := r.take()
	if err != nil {
		return nil, err
	}
	h, err := OpenFD(r.loop, fd)
	if errors.Is(err, ErrWouldBlock) {
		r.fd = fd // inside another loop, with the pipe's loop busy: r keeps it
		return nil, err
	}
	if err != nil {
		unix.Close(fd)
		return nil, err
	}
	return h, nil
}

// Close closes the received fd.
func (r *Received) Close() error {
	fd, err := r.take()
	if err != nil {
		return nil
	}
	return os.NewSyscallError("close", unix.Close(fd))
}

// File returns the received fd as an *os.File (close-on-exec). net.FileConn,
// net.FileListener and net.FilePacketConn turn it into Go's own types.
func (r *Received) File() (*os.File, error) {
	fd, err := r.take()
	if err != nil {
		return nil, err
	}
	return os.NewFile(uintptr(fd), fmt.Sprintf("uv-%v-%d", r.Type, fd)), nil
}

// AcceptInto moves the received fd into target, a handle of the right kind
// (TCP for TCP, UDP for UDP, Pipe for a pipe or any other kind of fd)
// without an fd yet, on any loop; target's IPCAccepted hook runs after. On
// error r keeps the fd. Inside a handler of another loop than target's (see
// "Loops and locks" in the package doc), the fd is handed to target's loop
// and AcceptInto returns at once: r no longer owns it, and if target cannot
// take it there (it closed meanwhile, or has an fd) the fd is closed.
func (r *Received) AcceptInto(target IPCAcceptable) error {
	t, err := ipcHandle(target)
	if err != nil {
		return err
	}
	if want := kindFor(r.Type); t.typ != want {
		return fmt.Errorf("uv: cannot accept a %v handle into a %v target", r.Type, t.typ)
	}
	if r.fd < 0 {
		return errTaken
	}
	if t.loop.elsewhere() {
		fd := r.fd
		hook, _ := target.(IPCAcceptHook)
		err := t.loop.post(func() {
			if t.usable() != nil || t.openLocked(fd) != nil {
				unix.Close(fd)
				return
			}
			if hook != nil {
				hook.IPCAccepted()
			}
		}, func() { unix.Close(fd) })
		if err != nil {
			return err
		}
		r.fd = -1
		return nil
	}
	if err := t.openFD(r.fd); err != nil {
		return err
	}
	r.fd = -1
	accepted(target)
	return nil
}

// kindFor is the handle type an fd of pending type t is accepted into.
func kindFor(t HandleType) HandleType {
	switch t {
	case TCPHandle, UDPHandle:
		return t
	}
	return NamedPipe
}

// accepted runs target's IPCAccepted hook, if it has one, under its loop
// lock: posted to its loop from inside another loop.
func accepted(target IPCAcceptable) {
	if hook, ok := target.(IPCAcceptHook); ok {
		_ = runOn(target.IPCHandle().loop, hook.IPCAccepted)
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
		return f(int(fd))
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

// errNotIPC is returned for handle operations on a pipe made without ipc.
var errNotIPC = errors.New("uv: the pipe is not an IPC pipe")
