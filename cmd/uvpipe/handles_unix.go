//go:build !windows

package main

import (
	"fmt"
	"net"

	"golang.org/x/sys/unix"

	"github.com/uvpipe/uvpipe/pipe"
	"github.com/uvpipe/uvpipe/uv"
)

// describeHandle says what a received handle is: its libuv type, and what
// the socket underneath is doing, as its kind tells ("a tcp handle
// (listening on 127.0.0.1:80)").
func describeHandle(h *pipe.ReceivedHandle) string {
	k := h.Kind()
	what := fmt.Sprintf("a %s handle", k.Type())
	fd := h.Fd()
	if fd < 0 {
		return what
	}
	switch {
	case k == pipe.KindFile && isFIFO(fd):
		return fmt.Sprintf("a %s handle (an OS pipe end)", uv.NamedPipe)
	case k.IsListener():
		return fmt.Sprintf("%s (listening on %s)", what, sockName(fd, unix.Getsockname))
	case k.IsConn():
		if _, err := unix.Getpeername(fd); err != nil {
			return fmt.Sprintf("%s (not connected, bound to %s)", what, sockName(fd, unix.Getsockname))
		}
		return fmt.Sprintf("%s (connected to %s, from %s)", what,
			sockName(fd, unix.Getpeername), sockName(fd, unix.Getsockname))
	case k == pipe.KindUDP:
		return fmt.Sprintf("%s (bound to %s)", what, sockName(fd, unix.Getsockname))
	}
	return what
}

// isFIFO reports whether fd is an OS pipe end.
func isFIFO(fd int) bool {
	var st unix.Stat_t
	return unix.Fstat(fd, &st) == nil && st.Mode&unix.S_IFMT == unix.S_IFIFO
}

// sockName formats the address that name (Getsockname or Getpeername) gives
// for fd.
func sockName(fd int, name func(int) (unix.Sockaddr, error)) string {
	sa, err := name(fd)
	if err != nil {
		return "an unknown address"
	}
	switch a := sa.(type) {
	case *unix.SockaddrInet4:
		return (&net.TCPAddr{IP: a.Addr[:], Port: a.Port}).String()
	case *unix.SockaddrInet6:
		return (&net.TCPAddr{IP: a.Addr[:], Port: a.Port}).String()
	case *unix.SockaddrUnix:
		if a.Name == "" {
			return "an unnamed unix socket"
		}
		return a.Name
	}
	return "an unknown address"
}
