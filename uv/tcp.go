package uv

/*
#include "shim.h"
*/
import "C"

import (
	"context"
	"net"
	"net/netip"
	"time"
)

// TCP is a libuv TCP handle: a connected socket or a listener.
type TCP struct {
	Stream
}

// NewTCP makes a TCP handle on loop l (the default loop if nil), not yet
// bound, connected or opened.
func NewTCP(l *Loop) (*TCP, error) { return makeHandle(l, newTCPLocked) }

func newTCPLocked(l *Loop) (*TCP, error) {
	if l.closed {
		return nil, ErrLoopClosed
	}
	t := &TCP{}
	if err := t.initStream(l, t, TCPHandle, 0); err != nil {
		return nil, err
	}
	if r := C.uv_tcp_init(l.cl, t.tcpPtr()); r < 0 {
		t.abandon()
		return nil, check("uv_tcp_init", r)
	}
	return t, nil
}

// IPCHandle makes TCP IPCAcceptable: it can be sent over, and accepted from,
// an IPC pipe.
func (t *TCP) IPCHandle() *Handle { return &t.Handle }

// Open makes the handle use fd, an open TCP socket; the handle owns it now.
func (t *TCP) Open(fd int) error {
	return t.locked(func() error { return check("uv_tcp_open", C.uv_tcp_open(t.tcpPtr(), C.uv_os_sock_t(fd))) })
}

// Bind binds the handle to a local address (*net.TCPAddr, netip.AddrPort,
// or a "host:port" string).
func (t *TCP) Bind(addr any) error {
	return withSockaddr(addr, func(sa *sockaddr) error {
		return t.locked(func() error { return check("bind", C.uv_tcp_bind(t.tcpPtr(), sa.ptr(), 0)) })
	})
}

// Listen makes a bound handle a listener. backlog <= 0 means 511, as Node.
func (t *TCP) Listen(backlog int) error {
	return t.locked(func() error { return t.listen(backlog) })
}

// OnConnection sets an event-style handler called under the loop lock for
// each incoming connection (err nil) or failed accept; call Accept inside it.
func (t *TCP) OnConnection(fn func(err error)) {
	t.locked(func() error { t.setOnConn(fn); return nil })
}

// Accept waits for an incoming connection and returns it as a new TCP handle
// on the same loop. Inside a handler it returns ErrWouldBlock when none waits.
func (t *TCP) Accept() (*TCP, error) {
	l := t.loop
	re := l.acquire()
	defer l.release(re)
	if err := t.usable(); err != nil {
		return nil, err
	}
	c, err := newTCPLocked(l)
	if err != nil {
		return nil, err
	}
	if err := t.acceptInto(&c.Handle, re); err != nil {
		c.startClose()
		return nil, err
	}
	return c, nil
}

// DialTCP connects a new TCP handle on loop l (the default loop if nil) to
// addr (*net.TCPAddr, netip.AddrPort, or a "host:port" string resolved as
// net.Dial resolves it). Cancelling ctx abandons the attempt.
func DialTCP(ctx context.Context, l *Loop, addr any) (*TCP, error) {
	ap, err := addrPortFrom(addr)
	if err != nil {
		return nil, err
	}
	t, err := NewTCP(l)
	if err != nil {
		return nil, err
	}
	if err := t.connect(ctx, ap); err != nil {
		t.Close()
		return nil, err
	}
	return t, nil
}

func (t *TCP) connect(ctx context.Context, ap netip.AddrPort) error {
	var sa sockaddr
	if err := sa.setAddrPort(ap); err != nil {
		return err
	}
	l := t.loop
	defer l.wakeWhenDone(ctx, &t.Handle)()
	re := l.acquire()
	defer l.release(re)
	if re {
		return ErrWouldBlock
	}
	if r := C.uvp_tcp_connect(t.ch, sa.ptr()); r < 0 {
		return check("connect", r)
	}
	err := t.connectWait(ctx.Done())
	if ctx.Err() != nil && t.connecting {
		return ctx.Err()
	}
	return err
}

// LocalAddr returns the local address (*net.TCPAddr), or nil.
func (t *TCP) LocalAddr() net.Addr { return t.addr(false) }

// RemoteAddr returns the peer's address (*net.TCPAddr), or nil.
func (t *TCP) RemoteAddr() net.Addr { return t.addr(true) }

func (t *TCP) addr(peer bool) net.Addr {
	var out net.Addr
	t.locked(func() error {
		out = sockName(func(sa *sockaddr, n *C.int) C.int {
			if peer {
				return C.uv_tcp_getpeername(t.tcpPtr(), sa.ptr(), n)
			}
			return C.uv_tcp_getsockname(t.tcpPtr(), sa.ptr(), n)
		}, tcpAddrOf)
		return nil
	})
	return out
}

// SetNoDelay turns Nagle's algorithm off (true) or on.
func (t *TCP) SetNoDelay(on bool) error {
	return t.locked(func() error { return check("setsockopt", C.uv_tcp_nodelay(t.tcpPtr(), cbool(on))) })
}

// SetKeepAlive turns TCP keep-alive on with the given initial delay, or off.
// On Windows, where libuv sets the delay with an option Wine does not have,
// the delay falls back to SIO_KEEPALIVE_VALS (shim.c: uvp_tcp_keepalive).
func (t *TCP) SetKeepAlive(on bool, delay time.Duration) error {
	secs := C.uint(delay / time.Second)
	if on && secs == 0 {
		secs = 1
	}
	return t.locked(func() error { return check("setsockopt", C.uvp_tcp_keepalive(t.ch, cbool(on), secs)) })
}

func cbool(b bool) C.int {
	if b {
		return 1
	}
	return 0
}
