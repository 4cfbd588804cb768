//go:build cgo

package uv

import (
	"os"

	"golang.org/x/sys/unix"
)

// abstractName reports whether path names a Linux abstract socket ("@name",
// as Go's net package writes it, or a leading NUL, as libuv does), or is
// empty (bind: autobind to a fresh abstract name). libuv 1.44's uv_pipe_bind
// and uv_pipe_connect take a C string and cannot name these.
func abstractName(path string) bool { return path == "" || path[0] == '@' || path[0] == 0 }

// abstractSocket returns a non-blocking, close-on-exec unix stream socket
// bound (or connected) to the abstract name path, for the pipe to open.
func abstractSocket(path string, connect bool) (int, error) {
	fd, err := unix.Socket(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return -1, os.NewSyscallError("socket", err)
	}
	sa := &unix.SockaddrUnix{Name: path}
	call := "bind"
	if connect {
		call, err = "connect", unix.Connect(fd, sa)
	} else {
		err = unix.Bind(fd, sa)
	}
	if err != nil {
		unix.Close(fd)
		return -1, os.NewSyscallError(call, err)
	}
	return fd, nil
}
