package nodeipc

import "github.com/uvpipe/uvpipe/pipe"

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
