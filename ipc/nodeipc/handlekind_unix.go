//go:build unix

package nodeipc

import (
	"fmt"
	"syscall"

	"github.com/uvpipe/uvpipe/uv"
	"golang.org/x/sys/unix"
)

// handleKind is what a sent handle is, as Node names it in NODE_HANDLE.
type handleKind struct {
	typ       string // "net.Socket", "net.Server" or "dgram.Socket"
	dgramType string // "udp4" or "udp6" for dgram.Socket
}

// kindOf tells which of Node's handle types h is, from its fd: a listening
// stream socket is a net.Server, another stream socket a net.Socket, a UDP
// socket a dgram.Socket. Anything else is refused (ErrNotSocket): Node
// aborts on a file or tty.
func kindOf(h any) (handleKind, error) {
	var k handleKind
	var kerr error
	inspect := func(fd int) { k, kerr = kindOfFD(fd) }
	switch v := h.(type) {
	case nil:
		return k, fmt.Errorf("nodeipc: SendHandle needs a handle")
	case uv.IPCAcceptable:
		hd := v.IPCHandle()
		if hd == nil {
			return k, wrapf(uv.ErrInvalidIPCTarget, "cannot send a %T", h)
		}
		if err := hd.Control(func(fd int) error { inspect(fd); return nil }); err != nil {
			return k, wrapf(err, "cannot send a %T", h)
		}
	case syscall.Conn:
		rc, err := v.SyscallConn()
		if err != nil {
			return k, wrapf(err, "cannot send a %T", h)
		}
		if err := rc.Control(func(fd uintptr) { inspect(int(fd)) }); err != nil {
			return k, wrapf(err, "cannot send a %T", h)
		}
	default:
		return k, fmt.Errorf("nodeipc: cannot send a %T: it is neither a uv.IPCAcceptable nor a syscall.Conn", h)
	}
	if kerr != nil {
		return k, wrapf(kerr, "cannot send a %T", h)
	}
	return k, nil
}

func kindOfFD(fd int) (handleKind, error) {
	typ, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_TYPE)
	if err != nil {
		if err == unix.ENOTSOCK {
			return handleKind{}, ErrNotSocket
		}
		return handleKind{}, err
	}
	switch typ {
	case unix.SOCK_STREAM:
		listening, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_ACCEPTCONN)
		if err != nil {
			return handleKind{}, err
		}
		if listening != 0 {
			return handleKind{typ: "net.Server"}, nil
		}
		return handleKind{typ: "net.Socket"}, nil
	case unix.SOCK_DGRAM:
		sa, err := unix.Getsockname(fd)
		if err != nil {
			return handleKind{}, err
		}
		switch sa.(type) {
		case *unix.SockaddrInet4:
			return handleKind{typ: "dgram.Socket", dgramType: "udp4"}, nil
		case *unix.SockaddrInet6:
			return handleKind{typ: "dgram.Socket", dgramType: "udp6"}, nil
		}
		return handleKind{}, fmt.Errorf("%w: a unix datagram socket has no Node type", ErrNotSocket)
	}
	return handleKind{}, fmt.Errorf("%w: socket type %d", ErrNotSocket, typ)
}
