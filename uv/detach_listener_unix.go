//go:build !windows

package uv

/*
#include "shim.h"
*/
import "C"

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// detachListener takes a listening stream off its loop. Called with the
// lock held.
func (s *Stream) detachListener(re bool) (*Detached, error) {
	var fd C.uv_os_fd_t
	if r := C.uv_fileno(s.uv(), &fd); r < 0 {
		return nil, check("uv_fileno", r)
	}
	dup, err := unix.FcntlInt(uintptr(fd), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		return nil, os.NewSyscallError("fcntl", err)
	}
	ml := &movedListener{backlog: s.moved.backlog, conns: s.moved.carried}
	s.moved.carried = nil
	var cfd C.int
	switch r := C.uvp_take_accepted(s.ch, &cfd); {
	case r < 0:
		closeFD(dup)
		closeFDs(ml.conns)
		return nil, check("uv_accept", r)
	case r > 0:
		ml.conns = append(ml.conns, int(cfd))
		s.backlogged = 0
	}
	var tmp string
	if s.typ == NamedPipe {
		if C.uvp_pipe_keep_path(s.ch, &ml.fname) == 0 {
			ml.path, tmp = keepSocketPath(dup)
		}
	}
	s.onConn = nil
	d := &Detached{typ: s.typ, fd: dup, bufSize: s.bufSize, listener: ml}
	s.closeDetached(re) // unlinks the path: uv_close does it at once
	if tmp != "" {
		if err := unix.Rename(tmp, ml.path); err != nil {
			unix.Unlink(tmp)
			ml.path = ""
		}
	}
	return d, nil
}

// keepSocketPath links the filesystem path a listening unix socket is bound
// to (none for an abstract or unnamed one) to a temporary name beside it,
// which survives the unlink of the handle's close: the path and that name,
// or "" when there is nothing to keep or it cannot be kept.
func keepSocketPath(fd int) (path, tmp string) {
	sa, err := unix.Getsockname(fd)
	un, ok := sa.(*unix.SockaddrUnix)
	if err != nil || !ok || un.Name == "" || un.Name[0] == '@' || un.Name[0] == 0 {
		return "", ""
	}
	for i := 0; i < 100; i++ {
		tmp = fmt.Sprintf("%s.move%d.%d", un.Name, os.Getpid(), i)
		if err := unix.Link(un.Name, tmp); err == nil {
			return un.Name, tmp
		} else if err != unix.EEXIST {
			return "", ""
		}
	}
	return "", ""
}

// removePath removes a socket file a moved pipe server was bound to.
func removePath(path string) { unix.Unlink(path) }
