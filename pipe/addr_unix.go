//go:build !windows

package pipe

import (
	"net"

	"golang.org/x/sys/unix"
)

// sockAddrs reads the pipe's socket addresses: unnamed for a socket pair or
// an OS pipe.
func (p *Pipe) sockAddrs() (laddr, raddr *net.UnixAddr) {
	laddr, raddr = &net.UnixAddr{Net: "unix"}, &net.UnixAddr{Net: "unix"}
	p.p.Control(func(fd int) error {
		if sa, err := unix.Getsockname(fd); err == nil {
			laddr = unixAddr(sa)
		}
		if sa, err := unix.Getpeername(fd); err == nil {
			raddr = unixAddr(sa)
		}
		return nil
	})
	return laddr, raddr
}

func unixAddr(sa unix.Sockaddr) *net.UnixAddr {
	// An unnamed socket reads back as "@" from x/sys (its empty abstract
	// form); Go's net package calls it "".
	if u, ok := sa.(*unix.SockaddrUnix); ok && u.Name != "@" {
		return &net.UnixAddr{Name: u.Name, Net: "unix"}
	}
	return &net.UnixAddr{Net: "unix"}
}
