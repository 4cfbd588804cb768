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
	var inet bool
	switch sa.(type) {
	case *unix.SockaddrInet4, *unix.SockaddrInet6:
		inet = true
	case *unix.SockaddrUnix:
	default:
		return KindUnknown, nil
	}
	switch typ {
	case unix.SOCK_DGRAM:
		if inet {
			return KindUDP, nil
		}
	case unix.SOCK_STREAM:
		listening, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_ACCEPTCONN)
		if err != nil {
			return KindUnknown, os.NewSyscallError("getsockopt", err)
		}
		switch {
		case inet && listening != 0:
			return KindTCPListener, nil
		case inet:
			return KindTCPConn, nil
		case listening != 0:
			return KindUnixListener, nil
		default:
			return KindUnixConn, nil
		}
	}
	return KindUnknown, nil
}
