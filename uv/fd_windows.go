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
// uv_os_fd_t is a HANDLE (a SOCKET for TCP and UDP), carried as an int
// (handle values have 32 significant bits on Windows, so an int holds them);
// uv_pipe_open takes a C runtime fd. Only sockets are duplicated
// (WSADuplicateSocketW for this process): a received handle, a handle sent
// from another loop, WriteFD's socket and a detached TCP handle are
// duplicates of that kind. Duplicating any other HANDLE fails with
// UV_ENOTSUP.

// osFD is the int of a HANDLE libuv gives (uv_fileno).
func osFD(fd C.uv_os_fd_t) int { return int(uintptr(unsafe.Pointer(fd))) }

// closeFD closes a SOCKET or HANDLE package uv owns: closesocket for a
// socket, CloseHandle for anything else.
func closeFD(fd int) error {
	err := windows.Closesocket(windows.Handle(fd))
	if err == windows.WSAENOTSOCK {
		return os.NewSyscallError("CloseHandle", windows.CloseHandle(windows.Handle(fd)))
	}
	return os.NewSyscallError("closesocket", err)
}

// dupFD returns a non-inheritable duplicate of socket fd, made for this
// process; UV_ENOTSUP for a HANDLE that is no socket.
func dupFD(fd int) (int, error) {
	d := int(C.uvp_dup_fd(C.int(fd)))
	if d < 0 {
		return -1, check("WSADuplicateSocket", C.int(d))
	}
	return int(uint32(d)), nil
}
