package uv

/*
#include "shim.h"
*/
import "C"

import "syscall"

// Pipe names on Windows are named pipes' names, \\.\pipe\name (libuv takes
// them as they are); there are no abstract sockets.

// abstractName is false on Windows.
func abstractName(string) bool { return false }

// abstractSocket is Linux's.
func abstractSocket(string, bool) (int, error) { return -1, syscall.EINVAL }

// maxPipeName is the longest name Windows gives a named pipe.
const maxPipeName = 256

// checkName refuses a name longer than Windows allows a named pipe.
func checkName(call, path string) error {
	if len(path) > maxPipeName {
		return check(call, C.UV_ENAMETOOLONG)
	}
	return nil
}
