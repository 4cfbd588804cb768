package nodeipc

import (
	"fmt"

	"golang.org/x/sys/windows"
)

// socketRef identifies a received connection on Windows: its SOCKET, the
// only handle of it in this process (a received socket cannot become an
// *os.File or be duplicated here; a *uv.TCP made from it holds that same
// SOCKET), with its local and remote addresses. Once the program has
// closed it, the SOCKET's value may name another handle, but not another
// connection between the same two addresses while this one's closing keeps
// them: the addresses tell the connection from whatever reuses the value.
type socketRef struct {
	s             windows.Handle
	local, remote string
}

// socketRefOf returns the reference of the connected socket s; a listening
// or unconnected socket has none (Node keys only accepted connections).
func socketRefOf(fd int) (socketRef, bool) {
	r := socketRef{s: windows.Handle(fd)}
	var ok bool
	if r.local, r.remote, ok = socketAddrs(r.s); !ok {
		return socketRef{}, false
	}
	return r, true
}

// openSockets returns a test of whether a socket is still open here: its
// SOCKET still names a socket connected between the same addresses.
func openSockets() (func(socketRef) bool, bool) {
	return func(r socketRef) bool {
		local, remote, ok := socketAddrs(r.s)
		return ok && local == r.local && remote == r.remote
	}, true
}

// socketAddrs returns the local and remote addresses of connected socket s.
func socketAddrs(s windows.Handle) (local, remote string, ok bool) {
	if s == 0 || s == windows.InvalidHandle {
		return "", "", false
	}
	la, err := windows.Getsockname(s)
	if err != nil {
		return "", "", false
	}
	ra, err := windows.Getpeername(s)
	if err != nil {
		return "", "", false
	}
	return sockaddrString(la), sockaddrString(ra), true
}

// sockaddrString writes an IP socket address with its port.
func sockaddrString(sa windows.Sockaddr) string {
	switch a := sa.(type) {
	case *windows.SockaddrInet4:
		return fmt.Sprintf("%v:%d", a.Addr, a.Port)
	case *windows.SockaddrInet6:
		return fmt.Sprintf("%v%%%d:%d", a.Addr, a.ZoneId, a.Port)
	}
	return fmt.Sprintf("%T %v", sa, sa)
}
