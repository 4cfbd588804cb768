//go:build !windows

package pipe

import (
	"os"

	"golang.org/x/sys/unix"
)

// KindOf asks the kernel what fd is: its socket type (SO_TYPE), address
// family and, for a stream socket, whether it listens (SO_ACCEPTCONN). An fd
// that is not a socket is KindFile; a socket of another kind (a unix
// datagram or raw socket) is KindUnknown. The error is the kernel's when it
// cannot be asked (EBADF for a closed fd), with KindUnknown.
func KindOf(fd int) (HandleKind, error) {
	if fd < 0 {
		return KindUnknown, os.NewSyscallError("getsockopt", unix.EBADF)
	}
	typ, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_TYPE)
	if err == unix.ENOTSOCK {
		return KindFile, nil
	}
	if err != nil {
		return KindUnknown, os.NewSyscallError("getsockopt", err)
	}
	sa, err := unix.Getsockname(fd)
	if err != nil {
		return KindUnknown, os.NewSyscallError("getsockname", err)
	}
	f := socketFacts{stream: typ == unix.SOCK_STREAM, datagram: typ == unix.SOCK_DGRAM}
	switch sa.(type) {
	case *unix.SockaddrInet4, *unix.SockaddrInet6:
		f.inet = true
	case *unix.SockaddrUnix:
		f.unix = true
	}
	f.listening = func() (bool, error) {
		v, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_ACCEPTCONN)
		if err != nil {
			return false, os.NewSyscallError("getsockopt", err)
		}
		return v != 0, nil
	}
	return f.kind()
}
