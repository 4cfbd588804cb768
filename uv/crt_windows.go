//go:build cgo

package uv

/*
#include <stdint.h>
#include <io.h>
#include <fcntl.h>
*/
import "C"

import (
	"os"

	"golang.org/x/sys/windows"
)

// The C runtime's fd table on Windows: libuv's uv_pipe_open takes a CRT fd,
// not a HANDLE (as NODE_CHANNEL_FD names one), so a HANDLE meant for it is
// entered there first. The table is that of the CRT libuv is linked with,
// one for the whole program; these are the only calls into it, so that
// package uv stays the only cgo package.

// CRTHandle returns the HANDLE behind C runtime fd fd, as a uintptr; a fd
// that is not open is an error.
func CRTHandle(fd int) (uintptr, error) {
	h := C._get_osfhandle(C.int(fd))
	if h == -1 {
		return uintptr(windows.InvalidHandle), os.NewSyscallError("_get_osfhandle", windows.ERROR_INVALID_HANDLE)
	}
	return uintptr(h), nil
}

// CRTOpen enters HANDLE h in the C runtime's fd table and returns its fd,
// which owns h from then on (closing the fd closes h). On failure h is left
// open and the caller's.
func CRTOpen(h uintptr) (int, error) {
	fd := C._open_osfhandle(C.intptr_t(h), C._O_BINARY)
	if fd == -1 {
		return -1, os.NewSyscallError("_open_osfhandle", windows.ERROR_TOO_MANY_OPEN_FILES)
	}
	return int(fd), nil
}

// CRTClose closes C runtime fd fd and the HANDLE it owns.
func CRTClose(fd int) error {
	if C._close(C.int(fd)) != 0 {
		return os.NewSyscallError("_close", windows.ERROR_INVALID_HANDLE)
	}
	return nil
}
