package pipe

import (
	"fmt"

	"github.com/uvpipe/uvpipe/uv"
)

// HandleKind is what a handle passed between processes is, in one
// vocabulary for the three that meet here: its transport as libuv sees it
// (TCP, a unix stream socket, UDP), whether a stream socket listens
// (SO_ACCEPTCONN) or is a connection, and so which of Node's handle types it
// travels as (net.Server, net.Socket, dgram.Socket). A received handle's
// kind is read from its fd when it arrives (ReceivedHandle.Kind), whatever
// the sender claimed.
type HandleKind uint8

// The kinds of handle. Listener turns the two listening kinds into a
// net.Listener, Conn the two connection kinds into a net.Conn, PacketConn a
// KindUDP into a net.PacketConn.
const (
	KindUnknown      HandleKind = iota // a socket of none of the kinds below (a unix datagram socket, say)
	KindFile                           // not a socket: a file, a tty, an OS pipe end
	KindTCPConn                        // a TCP socket that does not listen: Node's net.Socket
	KindTCPListener                    // a listening TCP socket: Node's net.Server
	KindUnixConn                       // a unix stream socket that does not listen: Node's net.Socket over a pipe
	KindUnixListener                   // a listening unix stream socket: Node's net.Server over a pipe
	KindUDP                            // a UDP socket: Node's dgram.Socket
)

// IsListener reports whether k is a listening stream socket.
func (k HandleKind) IsListener() bool { return k == KindTCPListener || k == KindUnixListener }

// IsConn reports whether k is a stream socket that does not listen.
func (k HandleKind) IsConn() bool { return k == KindTCPConn || k == KindUnixConn }

// Type is the libuv handle type of k (the type OnHandle reports):
// uv.TCPHandle, uv.NamedPipe, uv.UDPHandle, uv.FileHandle or
// uv.UnknownHandle.
func (k HandleKind) Type() uv.HandleType {
	switch k {
	case KindTCPConn, KindTCPListener:
		return uv.TCPHandle
	case KindUnixConn, KindUnixListener:
		return uv.NamedPipe
	case KindUDP:
		return uv.UDPHandle
	case KindFile:
		return uv.FileHandle
	}
	return uv.UnknownHandle
}

// NodeType is the name Node gives k in a NODE_HANDLE message: "net.Server",
// "net.Socket" or "dgram.Socket"; "" for a kind Node cannot send.
func (k HandleKind) NodeType() string {
	switch {
	case k.IsListener():
		return "net.Server"
	case k.IsConn():
		return "net.Socket"
	case k == KindUDP:
		return "dgram.Socket"
	}
	return ""
}

// String names k: "tcp listener", "unix conn", "udp", ...
func (k HandleKind) String() string {
	switch k {
	case KindUnknown:
		return "unknown"
	case KindFile:
		return "file"
	case KindTCPConn:
		return "tcp conn"
	case KindTCPListener:
		return "tcp listener"
	case KindUnixConn:
		return "unix conn"
	case KindUnixListener:
		return "unix listener"
	case KindUDP:
		return "udp"
	}
	return fmt.Sprintf("HandleKind(%d)", uint8(k))
}

// socketFacts is what KindOf learns of a socket from the kernel (unix) or
// Winsock (Windows), in their shared terms.
type socketFacts struct {
	stream, datagram bool // SO_TYPE is SOCK_STREAM, SOCK_DGRAM
	inet, unix       bool // its address is IPv4 or IPv6, a unix socket's
	// listening asks SO_ACCEPTCONN; it is called for a stream socket only.
	listening func() (bool, error)
}

// kind names the socket: a datagram socket is KindUDP only on an internet
// address; a stream socket is a TCP or unix listener or connection; any
// other socket is KindUnknown. The error is listening's.
func (f socketFacts) kind() (HandleKind, error) {
	switch {
	case !f.inet && !f.unix:
		return KindUnknown, nil
	case f.datagram && f.inet:
		return KindUDP, nil
	case !f.stream:
		return KindUnknown, nil
	}
	listening, err := f.listening()
	switch {
	case err != nil:
		return KindUnknown, err
	case f.inet && listening:
		return KindTCPListener, nil
	case f.inet:
		return KindTCPConn, nil
	case listening:
		return KindUnixListener, nil
	}
	return KindUnixConn, nil
}
