//go:build !windows

package uv

/*
#include "shim.h"
*/
import "C"

import "syscall"

// On unix libuv's error codes are the negated errnos.

// sysErrno is the syscall.Errno of a negative libuv result.
func sysErrno(code C.int) syscall.Errno { return syscall.Errno(-code) }

// uvCode is libuv's code for errno.
func uvCode(errno syscall.Errno) C.int { return C.int(-int(errno)) }
