//go:build unix

package nodeipc

import (
	"fmt"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/uvpipe/uvpipe/pipe"
	"github.com/uvpipe/uvpipe/uv"
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
