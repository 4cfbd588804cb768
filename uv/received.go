package uv

/*
#include "shim.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"os"
)

// mark is where handles arrived in an IPC pipe's stream: before the byte at
// off (counted from the first unread byte).
type mark struct {
	off int
	hs  []*Received
}

// Received is a handle that arrived on an IPC pipe, taken from libuv's
// pending queue as the fd itself (close-on-exec; on Windows a
// non-inheritable SOCKET of a TCP server or connection, the only kind libuv
// passes there). The program owns it: take
// it with Handle, AcceptInto or File, or Close it. Once taken, the Received
// is empty and Close does nothing. A Received is not safe for concurrent use.
type Received struct {
	Type HandleType // the type libuv saw (uv_pipe_pending_type)
	fd   int        // -1 once taken or closed
	loop *Loop      // the loop of the pipe it came on
}

// Fd returns the received fd (on Windows a SOCKET), still owned by r, or -1
// once taken.
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
	h, err := openReceived(r.loop, fd, r.Type)
	if errors.Is(err, ErrWouldBlock) {
		r.fd = fd // inside another loop, with the pipe's loop busy: r keeps it
		return nil, err
	}
	if err != nil {
		closeFD(fd)
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
	return closeFD(fd)
}

// File returns the received fd as an *os.File (close-on-exec). net.FileConn,
// net.FileListener and net.FilePacketConn turn it into Go's own types. On
// Windows, where the received handle is a SOCKET and Go's net package cannot
// adopt one, it fails with ErrNotPassable and r keeps the socket: take it
// with Handle or AcceptInto instead.
func (r *Received) File() (*os.File, error) {
	if r.fd >= 0 && !receivedAsFile {
		return nil, fmt.Errorf("%w: a received %v handle cannot become an *os.File here", ErrNotPassable, r.Type)
	}
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
				closeFD(fd)
				return
			}
			if hook != nil {
				hook.IPCAccepted()
			}
		}, func() { closeFD(fd) })
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
