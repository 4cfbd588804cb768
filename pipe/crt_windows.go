//go:build cgo

package pipe

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
// not a HANDLE, so the pipes this package makes are entered there first.
// The CRT is the one libuv is linked with (mingw's), the same in every
// package of the program.

// crtHandle returns the HANDLE behind CRT fd fd; a closed fd is EBADF.
func crtHandle(fd int) (windows.Handle, error) {
	h := C._get_osfhandle(C.int(fd))
	if h == -1 {
		return windows.InvalidHandle, os.NewSyscallError("_get_osfhandle", windows.ERROR_INVALID_HANDLE)
	}
	return windows.Handle(h), nil
}

// crtOpen enters HANDLE h in the CRT's fd table and returns its fd; the fd
// owns h from then on (closing the fd closes h). On failure h is left open.
func crtOpen(h windows.Handle) (int, error) {
	fd := C._open_osfhandle(C.intptr_t(h), C._O_BINARY)
	if fd == -1 {
		return -1, os.NewSyscallError("_open_osfhandle", windows.ERROR_TOO_MANY_OPEN_FILES)
	}
	return int(fd), nil
}

// crtClose closes CRT fd fd and the HANDLE it owns.
func crtClose(fd int) { C._close(C.int(fd)) }
