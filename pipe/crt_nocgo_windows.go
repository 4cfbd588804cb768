//go:build !cgo

package pipe

import "golang.org/x/sys/windows"

// Without cgo there is no C runtime fd table to enter a HANDLE in (and no
// libuv to open it): these fail, as package uv does without cgo.

func crtHandle(int) (windows.Handle, error) {
	return windows.InvalidHandle, unsupported("_get_osfhandle (no cgo)")
}

func crtOpen(windows.Handle) (int, error) { return -1, unsupported("_open_osfhandle (no cgo)") }

func crtClose(int) {}
