package pipe

import (
	"os"
	"syscall"

	"golang.org/x/sys/windows"
)

// Winsock's socket options (SOL_SOCKET level) that x/sys/windows does not
// name: SO_ACCEPTCONN (nonzero on a listening socket) and SO_TYPE.
const (
	soAcceptConn = 0x2
	soType       = 0x1008
)

// KindOf asks Winsock what fd is, fd being a SOCKET or a HANDLE as an int
// (what a received handle and Pipe.Fd hold on Windows): its socket type
// (SO_TYPE), address family and, for a stream socket, whether it listens
// (SO_ACCEPTCONN). A HANDLE that is not a socket (a named pipe, a file) is
// KindFile; a socket of another kind is KindUnknown. Windows passes only TCP
// sockets between processes, so a received handle is a TCP listener or
// connection. The error is Winsock's when it cannot be asked, with
// KindUnknown.
func KindOf(fd int) (HandleKind, error) {
	if fd < 0 {
		return KindUnknown, os.NewSyscallError("getsockopt", syscall.EBADF)
	}
	s := windows.Handle(fd)
	typ, err := windows.GetsockoptInt(s, windows.SOL_SOCKET, soType)
	if err == windows.WSAENOTSOCK {
		return KindFile, nil
	}
	if err != nil {
		return KindUnknown, os.NewSyscallError("getsockopt", err)
	}
	sa, err := windows.Getsockname(s)
	if err != nil {
		return KindUnknown, os.NewSyscallError("getsockname", err)
	}
	f := socketFacts{stream: typ == windows.SOCK_STREAM, datagram: typ == windows.SOCK_DGRAM}
	switch sa.(type) {
	case *windows.SockaddrInet4, *windows.SockaddrInet6:
		f.inet = true
	case *windows.SockaddrUnix:
		f.unix = true
	}
	f.listening = func() (bool, error) {
		v, err := windows.GetsockoptInt(s, windows.SOL_SOCKET, soAcceptConn)
		if err != nil {
			return false, os.NewSyscallError("getsockopt", err)
		}
		return v != 0, nil
	}
	return f.kind()
}
