package uv

/*
#include "shim.h"
*/
import "C"

import (
	"net"
	"time"
	"unsafe"
)

// maxDatagrams is how many received datagrams a UDP handle keeps for
// ReadFrom before it drops new ones, as a full socket buffer would.
const maxDatagrams = 1024

type datagram struct {
	data []byte
	from *net.UDPAddr
}

// UDP is a libuv UDP handle.
//
// ReadFrom, WriteTo and Close may be called from several goroutines at once,
// as on a net.PacketConn: one ReadFrom at a time takes the next datagram, one
// WriteTo at a time sends, each keeping its turn while it waits on the loop;
// Close wakes them and returns once they have left (net.ErrClosed), as for a
// Stream. Inside a handler nothing waits for a turn: ReadFrom returns
// ErrWouldBlock while another goroutine's ReadFrom has it.
type UDP struct {
	Handle

	rop, wop opMutex // the turns of ReadFrom and of WriteTo (opmutex.go)

	// Under the loop lock.
	receiving bool
	queue     []datagram
	rerr      error
	onRecv    func(data []byte, from *net.UDPAddr, err error)
	sent      uint64 // send requests queued
	sentDone  uint64
	serr      error
	rdl       time.Time
}

// NewUDP makes a UDP handle on loop l (the default loop if nil).
func NewUDP(l *Loop) (*UDP, error) { return makeHandle(l, newUDPLocked) }

func newUDPLocked(l *Loop) (*UDP, error) {
	if l.closed {
		return nil, ErrLoopClosed
	}
	u := &UDP{}
	if err := u.init(l, u, UDPHandle, DefaultReadBufferSize); err != nil {
		return nil, err
	}
	if r := C.uv_udp_init(l.cl, u.udpPtr()); r < 0 {
		u.abandon()
		return nil, check("uv_udp_init", r)
	}
	return u, nil
}

// IPCHandle makes UDP IPCAcceptable.
func (u *UDP) IPCHandle() *Handle { return &u.Handle }

// Open makes the handle use fd, an open UDP socket; the handle owns it now.
func (u *UDP) Open(fd int) error {
	return u.locked(func() error { return check("uv_udp_open", C.uv_udp_open(u.udpPtr(), C.uv_os_sock_t(fd))) })
}

// Bind binds the handle to a local address (*net.UDPAddr, netip.AddrPort,
// or a "host:port" string).
func (u *UDP) Bind(addr any) error {
	return withSockaddr(addr, func(sa *sockaddr) error {
		return u.locked(func() error { return check("bind", C.uv_udp_bind(u.udpPtr(), sa.ptr(), 0)) })
	})
}

// LocalAddr returns the bound address (*net.UDPAddr), or nil.
func (u *UDP) LocalAddr() net.Addr {
	var out net.Addr
	u.locked(func() error {
		out = sockName(func(sa *sockaddr, n *C.int) C.int {
			return C.uv_udp_getsockname(u.udpPtr(), sa.ptr(), n)
		}, func(p *C.struct_sockaddr) net.Addr {
			if a := udpAddrOf(p); a != nil {
				return a
			}
			return nil
		})
		return nil
	})
	return out
}

// WriteTo sends one datagram to addr (*net.UDPAddr, netip.AddrPort, or a
// "host:port" string). It waits for the send to complete, except inside a
// handler.
func (u *UDP) WriteTo(p []byte, addr any) (int, error) {
	ap, err := addrPortFrom(addr)
	if err != nil {
		return 0, err
	}
	var sa sockaddr
	if err := sa.setAddrPort(ap); err != nil {
		return 0, err
	}
	l := u.loop
	if u.wop.lock(l) {
		defer u.wop.unlock()
	} // else inside the loop: this send does not wait
	re := l.acquire()
	defer l.release(re)
	if err := u.usable(); err != nil {
		return 0, err
	}
	var base *C.char
	if len(p) > 0 {
		base = (*C.char)(unsafe.Pointer(&p[0]))
	}
	r := C.uvp_udp_send(u.ch, base, C.size_t(len(p)), sa.ptr())
	if r < 0 {
		return 0, check("sendto", r)
	}
	if r == 0 {
		return len(p), nil
	}
	ticket := u.sent
	u.sent++
	l.wake(&u.Handle)
	if re {
		return len(p), nil
	}
	if err := l.awaitOn(&u.Handle, nil, func() bool { return u.sentDone > ticket || u.Handle.closed }, nil); err != nil {
		return 0, err
	}
	if u.sentDone <= ticket {
		return 0, net.ErrClosed
	}
	if err := u.serr; err != nil {
		u.serr = nil
		return 0, err
	}
	return len(p), nil
}

func (u *UDP) sendCB(status C.int) {
	u.sentDone++
	if status < 0 && u.serr == nil {
		u.serr = check("sendto", status)
	}
}

// ReadFrom waits for a datagram, copies it into p (the rest of a longer one
// is dropped, as recvfrom does) and returns its length and sender. Inside a
// handler it does not wait: with no datagram queued it returns
// ErrWouldBlock.
func (u *UDP) ReadFrom(p []byte) (int, *net.UDPAddr, error) {
	l := u.loop
	if !u.rop.lock(l) {
		return 0, nil, ErrWouldBlock
	}
	defer u.rop.unlock()
	re := l.acquire()
	defer l.release(re)
	for {
		if err := u.usable(); err != nil {
			return 0, nil, err
		}
		if len(u.queue) > 0 {
			d := u.queue[0]
			u.queue[0] = datagram{}
			u.queue = u.queue[1:]
			return copy(p, d.data), d.from, nil
		}
		if err := u.rerr; err != nil {
			u.rerr = nil
			return 0, nil, err
		}
		if re {
			return 0, nil, ErrWouldBlock
		}
		if err := u.startRecv(); err != nil {
			return 0, nil, err
		}
		if err := l.awaitOn(&u.Handle, nil, func() bool {
			return len(u.queue) > 0 || u.rerr != nil || u.closing || u.Handle.closed
		}, &u.rdl); err != nil {
			return 0, nil, err
		}
	}
}

// Close closes the handle, as Handle.Close, and also waits for the ReadFrom
// and the WriteTo in progress, which the close wakes, to return. Inside a
// handler it starts the close and returns at once.
func (u *UDP) Close() error {
	re, err := u.Handle.close()
	if !re {
		u.rop.drain()
		u.wop.drain()
	}
	return err
}

// OnRecv switches to the event style: fn gets each datagram under the loop
// lock (data valid only during the call). OnRecv(nil) stops receiving.
func (u *UDP) OnRecv(fn func(data []byte, from *net.UDPAddr, err error)) error {
	return u.locked(func() error {
		u.onRecv = fn
		if fn == nil {
			if u.receiving {
				C.uv_udp_recv_stop(u.udpPtr())
				u.receiving = false
			}
			return nil
		}
		return u.startRecv()
	})
}

// SetReadDeadline sets the deadline for ReadFrom.
func (u *UDP) SetReadDeadline(t time.Time) error {
	return u.locked(func() error { u.rdl = t; u.loop.wake(&u.Handle); return nil })
}

func (u *UDP) startRecv() error {
	if u.receiving {
		return nil
	}
	if r := C.uvp_udp_recv_start(u.ch); r < 0 {
		return check("uv_udp_recv_start", r)
	}
	u.receiving = true
	u.loop.wake(&u.Handle)
	return nil
}

func (u *UDP) recvCB(n int, base *C.char, addr *C.struct_sockaddr, flags uint) {
	if n < 0 {
		err := check("recvfrom", C.int(n))
		if u.onRecv != nil {
			u.onRecv(nil, nil, err)
			return
		}
		u.rerr = err
		return
	}
	data := unsafe.Slice((*byte)(unsafe.Pointer(base)), n)
	from := udpAddrOf(addr)
	if u.onRecv != nil {
		u.onRecv(data, from, nil)
		return
	}
	if len(u.queue) < maxDatagrams {
		u.queue = append(u.queue, datagram{data: append([]byte(nil), data...), from: from})
	}
}
