package uv

/*
#include "shim.h"
*/
import "C"

import (
	"errors"
	"net"
	"net/netip"
	"unsafe"
)

// sockaddr holds a socket address in C's layout, in Go memory (it holds no
// pointers, so it may be passed to C for the length of a call).
type sockaddr struct {
	ss C.struct_sockaddr_storage
}

func (sa *sockaddr) ptr() *C.struct_sockaddr { return (*C.struct_sockaddr)(unsafe.Pointer(&sa.ss)) }

var errBadAddr = errors.New("uv: an address is a *net.TCPAddr, *net.UDPAddr, netip.AddrPort or \"host:port\" string of an IPv4 or IPv6 address")

// setAddrPort fills sa from an IP address and a port.
func (sa *sockaddr) setAddrPort(ap netip.AddrPort) error {
	a := ap.Addr()
	switch {
	case a.Is4() || a.Is4In6():
		in := (*rawSockaddrInet4)(unsafe.Pointer(&sa.ss))
		in.Family = afInet
		in.Port = htons(ap.Port())
		in.Addr = a.Unmap().As4()
	case a.Is6():
		in := (*rawSockaddrInet6)(unsafe.Pointer(&sa.ss))
		in.Family = afInet6
		in.Port = htons(ap.Port())
		in.Addr = a.As16()
		if z := a.Zone(); z != "" {
			if ifi, err := net.InterfaceByName(z); err == nil {
				in.Scope_id = uint32(ifi.Index)
			}
		}
	default:
		return errBadAddr
	}
	return nil
}

func htons(p uint16) uint16 { return p<<8 | p>>8 }

// addrPortOf reads an IPv4 or IPv6 socket address.
func addrPortOf(p *C.struct_sockaddr) (netip.AddrPort, bool) {
	if p == nil {
		return netip.AddrPort{}, false
	}
	switch p.sa_family {
	case afInet:
		in := (*rawSockaddrInet4)(unsafe.Pointer(p))
		return netip.AddrPortFrom(netip.AddrFrom4(in.Addr), htons(in.Port)), true
	case afInet6:
		in := (*rawSockaddrInet6)(unsafe.Pointer(p))
		return netip.AddrPortFrom(netip.AddrFrom16(in.Addr), htons(in.Port)), true
	}
	return netip.AddrPort{}, false
}

// tcpAddrOf and udpAddrOf give the net.Addr of a socket address, or nil.
func tcpAddrOf(p *C.struct_sockaddr) net.Addr {
	if ap, ok := addrPortOf(p); ok {
		return net.TCPAddrFromAddrPort(ap)
	}
	return nil
}

func udpAddrOf(p *C.struct_sockaddr) *net.UDPAddr {
	if ap, ok := addrPortOf(p); ok {
		return net.UDPAddrFromAddrPort(ap)
	}
	return nil
}

// withSockaddr converts addr (*net.TCPAddr, *net.UDPAddr or netip.AddrPort)
// and calls f with it in C's layout.
func withSockaddr(addr any, f func(*sockaddr) error) error {
	ap, err := addrPortFrom(addr)
	if err != nil {
		return err
	}
	var sa sockaddr
	if err := sa.setAddrPort(ap); err != nil {
		return err
	}
	return f(&sa)
}

// sockName asks libuv for an address (getsockname or getpeername) and
// converts it with conv; nil when there is none.
func sockName(get func(*sockaddr, *C.int) C.int, conv func(*C.struct_sockaddr) net.Addr) net.Addr {
	var sa sockaddr
	n := C.int(C.sizeof_struct_sockaddr_storage)
	if get(&sa, &n) != 0 {
		return nil
	}
	return conv(sa.ptr())
}

// addrPortFrom accepts a *net.TCPAddr, *net.UDPAddr, netip.AddrPort, or a
// "host:port" string resolved as net.Dial resolves it.
func addrPortFrom(a any) (netip.AddrPort, error) {
	switch v := a.(type) {
	case netip.AddrPort:
		return v, nil
	case string:
		ta, err := net.ResolveTCPAddr("tcp", v)
		if err != nil {
			return netip.AddrPort{}, err
		}
		ap := ta.AddrPort()
		return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port()), nil
	case *net.TCPAddr:
		return v.AddrPort(), nil
	case *net.UDPAddr:
		return v.AddrPort(), nil
	}
	return netip.AddrPort{}, errBadAddr
}
