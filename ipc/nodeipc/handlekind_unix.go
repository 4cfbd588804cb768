//go:build unix

package nodeipc

import (
	"fmt"

	"golang.org/x/sys/unix"

	"github.com/uvpipe/uvpipe/pipe"
)

// kindOfFD is kindOf for an fd, from pipe.KindOf.
func kindOfFD(fd int) (handleKind, error) {
	k, err := pipe.KindOf(fd)
	if err != nil {
		return handleKind{}, err
	}
	switch {
	case k.IsListener(), k.IsConn():
		return handleKind{typ: k.NodeType()}, nil
	case k == pipe.KindUDP:
		sa, err := unix.Getsockname(fd)
		if err != nil {
			return handleKind{}, err
		}
		dgram := "udp4"
		if _, v6 := sa.(*unix.SockaddrInet6); v6 {
			dgram = "udp6"
		}
		return handleKind{typ: k.NodeType(), dgramType: dgram}, nil
	case k == pipe.KindFile:
		return handleKind{}, ErrNotSocket
	}
	return handleKind{}, fmt.Errorf("%w: a socket Node has no type for (neither TCP, a unix stream socket nor UDP)", ErrNotSocket)
}
