package pipe

import (
	"golang.org/x/sys/windows"

	"github.com/uvpipe/uvpipe/uv"
)

// The C runtime's fd table on Windows (package uv holds the calls into it):
// libuv's uv_pipe_open takes a CRT fd, not a HANDLE, so the pipes this
// package makes are entered there first.

// crtHandle returns the HANDLE behind CRT fd fd.
func crtHandle(fd int) (windows.Handle, error) {
	h, err := uv.CRTHandle(fd)
	return windows.Handle(h), err
}

// crtOpen enters HANDLE h in the CRT's fd table and returns its fd; the fd
// owns h from then on. On failure h is left open.
func crtOpen(h windows.Handle) (int, error) { return uv.CRTOpen(uintptr(h)) }

// crtClose closes CRT fd fd and the HANDLE it owns.
func crtClose(fd int) { _ = uv.CRTClose(fd) }
