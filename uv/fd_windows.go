package uv

/*
#include "shim.h"
*/
import "C"

import (
	"os"
	"unsafe"

	"golang.org/x/sys/windows"
)

// The system's descriptors as package uv holds them on Windows: libuv's
// uv_os_fd_t is a HANDLE (a SOCKET for TCP and UDP), carried as an int;
// uv_pipe_open takes a C runtime fd. Duplicating descriptors and moving
// handles between loops are not supported there yet: the calls that need
// them fail with UV_ENOTSUP.

// osFD is the int of a HANDLE libuv gives (uv_fileno).
func osFD(fd C.uv_os_fd_t) int { return int(uintptr(unsafe.Pointer(fd))) }

// closeFD closes a HANDLE package uv owns.
func closeFD(fd int) error {
	return os.NewSyscallError("CloseHandle", windows.CloseHandle(windows.Handle(fd)))
}

// dupFD is not supported on Windows yet.
func dupFD(int) (int, error) { return -1, check("dup", C.UV_ENOTSUP) }
