package nodeipc

import (
	"strings"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
	"github.com/uvpipe/uvpipe/pipe"
)

// Message is one message received on a channel.
type Message struct {
	// Value is the message in the model of package jsvalue, as the codec
	// of the channel's serialization decodes it: *jsvalue.Object for an
	// object, []any, string, float64, bool, nil for null, and in Advanced
	// mode also []byte for a Buffer, *jsvalue.Map, time.Time, ...
	Value any
	// Handle is the handle that came with the message (the second argument
	// of Node's 'message' event), or nil. The program owns it: turn it into
	// a net.Conn, net.Listener or net.PacketConn, or Close it. Its Kind says
	// what it is (KindTCPListener for Node's net.Server over TCP,
	// KindTCPConn for a net.Socket, KindUDP for a dgram.Socket, ...), read
	// from the fd itself rather than taken from the sender's word.
	Handle *pipe.ReceivedHandle
	// Key is the connection key Node adds to a net.Socket accepted by a
	// net.Server ("4:127.0.0.1:0"), if any.
	Key string
}

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

// Decode stores the message's value in v (a pointer) as jsvalue.Assign does:
// the way encoding/json's Unmarshal fills Go values.
func (m Message) Decode(v any) error { return jsvalue.Assign(m.Value, v) }

// The internal commands this package sends and answers.
const (
	cmdHandle     = "NODE_HANDLE"
	cmdHandleAck  = "NODE_HANDLE_ACK"
	cmdHandleNack = "NODE_HANDLE_NACK"
)

// internalCmd returns the cmd of an internal message, as Node's isInternal
// decides: an object whose cmd is a string longer than 5 starting "NODE_".
func internalCmd(v any) (string, bool) {
	o, ok := v.(*jsvalue.Object)
	if !ok {
		return "", false
	}
	c, ok := o.Get("cmd")
	if !ok {
		return "", false
	}
	s, ok := c.(string)
	if !ok || len(s) <= 5 || !strings.HasPrefix(s, "NODE_") {
		return "", false
	}
	return s, true
}

// stringProp returns o[key] when it is a string.
func stringProp(o *jsvalue.Object, key string) string {
	v, _ := o.Get(key)
	s, _ := v.(string)
	return s
}

// handleWrapper is the message Node sends in place of a message that
// carries a handle: {cmd:"NODE_HANDLE", type, msg} and dgramType for UDP.
func handleWrapper(msg any, k handleKind) *jsvalue.Object {
	o := jsvalue.NewObject("cmd", cmdHandle, "type", k.typ, "msg", msg)
	if k.dgramType != "" {
		o.Set("dgramType", k.dgramType)
	}
	return o
}

// internalMessage is {cmd}: NODE_HANDLE_ACK or NODE_HANDLE_NACK.
func internalMessage(cmd string) *jsvalue.Object { return jsvalue.NewObject("cmd", cmd) }
