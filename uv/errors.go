package uv

/*
#include "shim.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
)

// ErrWouldBlock is returned by an operation that would have to wait, called
// from inside a handler or a function run by Loop.Do, where waiting is not
// allowed (the loop cannot make progress while its lock is held).
var ErrWouldBlock = errors.New("uv: operation would block inside the loop")

// ErrLoopClosed is returned by an operation on a loop that has been closed.
// It wraps net.ErrClosed.
var ErrLoopClosed = fmt.Errorf("uv: loop closed: %w", net.ErrClosed)

// errnoOf turns a negative libuv result into a syscall.Errno (UV_EOF into
// io.EOF, UV_ECANCELED into net.ErrClosed). 0 and positive values are nil.
func errnoOf(code C.int) error {
	switch {
	case code >= 0:
		return nil
	case code == C.UV_EOF:
		return io.EOF
	case code == C.UV_ECANCELED:
		return net.ErrClosed
	default:
		return sysErrno(code)
	}
}

// check wraps a libuv result as *os.SyscallError naming the libuv call.
func check(call string, code C.int) error {
	err := errnoOf(code)
	if err == nil || err == io.EOF || err == net.ErrClosed {
		return err
	}
	return os.NewSyscallError(call, err)
}

// ErrName returns libuv's name for the errno inside err ("EPIPE",
// "EADDRINUSE"), or "" when err holds none.
func ErrName(err error) string {
	var errno syscall.Errno
	switch {
	case errors.Is(err, io.EOF):
		return "EOF"
	case errors.As(err, &errno):
		return C.GoString(C.uv_err_name(uvCode(errno)))
	}
	return ""
}

// Version returns the version of the libuv uvpipe runs on ("1.50.0" in the
// default build, which links the libuv pinned in third_party/libuv/pin).
func Version() string { return C.GoString(C.uv_version_string()) }

// headerVersion is the version of the libuv headers package uv was compiled
// against.
func headerVersion() string {
	return fmt.Sprintf("%d.%d.%d", C.UV_VERSION_MAJOR, C.UV_VERSION_MINOR, C.UV_VERSION_PATCH)
}
