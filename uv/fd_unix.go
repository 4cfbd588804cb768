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
