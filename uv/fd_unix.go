//go:build !windows

package uv

/*
#include "shim.h"
*/
import "C"

import (
	"os"

	"golang.org/x/sys/unix"
)

// The system's descriptors as package uv holds them: on unix an fd is an
// int, libuv's uv_os_fd_t too.

// osFD is the int of a descriptor libuv gives (uv_fileno).
func osFD(fd C.uv_os_fd_t) int { return int(fd) }

// closeFD closes an fd package uv owns.
func closeFD(fd int) error { return os.NewSyscallError("close", unix.Close(fd)) }

// dupFD returns a close-on-exec duplicate of fd.
func dupFD(fd int) (int, error) {
	dup, err := unix.FcntlInt(uintptr(fd), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		return -1, os.NewSyscallError("fcntl", err)
	}
	return dup, nil
}

// removePath removes a socket file a pipe server left bound.
func removePath(path string) { unix.Unlink(path) }

// takeAcceptedFD takes the connection libuv accepted for a listening stream
// and the program has not taken (its accepted_fd), or -1.
func takeAcceptedFD(st *C.uv_stream_t) int {
	fd := int(st.accepted_fd)
	st.accepted_fd = -1
	return fd
}

// swapPipeName replaces the socket path that a bound pipe unlinks when it
// closes (libuv's pipe_fname), returning the old one.
func swapPipeName(pp *C.uv_pipe_t, name *C.char) *C.char {
	old := pp.pipe_fname
	pp.pipe_fname = name
	return old
}

// noPendingHandle reports, without a cgo call, that no handle came with
// an IPC pipe's read (what uv_pipe_pending_count looks at first).
func noPendingHandle(pp *C.uv_pipe_t) bool { return pp.accepted_fd == -1 }
