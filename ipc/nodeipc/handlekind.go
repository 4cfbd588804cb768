package nodeipc

import (
	"fmt"
	"syscall"

	"github.com/uvpipe/uvpipe/pipe"
	"github.com/uvpipe/uvpipe/uv"
)

// HandleKind is what a handle is: pipe.HandleKind, so that a program using
// this package reads a received handle's kind (Message.Handle.Kind) without
// importing pipe. Its String, NodeType, IsListener and IsConn say the rest.
type HandleKind = pipe.HandleKind

// The kinds of handle, the same constants as package pipe's.
const (
	KindUnknown      = pipe.KindUnknown      // a socket of no other kind
	KindFile         = pipe.KindFile         // not a socket (never sent: Node refuses files)
	KindTCPConn      = pipe.KindTCPConn      // Node's net.Socket over TCP
	KindTCPListener  = pipe.KindTCPListener  // Node's net.Server over TCP
	KindUnixConn     = pipe.KindUnixConn     // Node's net.Socket over a pipe
	KindUnixListener = pipe.KindUnixListener // Node's net.Server over a pipe
	KindUDP          = pipe.KindUDP          // Node's dgram.Socket
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
