package nodeipc

import (
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

// Decode stores the message's value in v (a pointer) as jsvalue.Assign does:
// the way encoding/json's Unmarshal fills Go values.
func (m Message) Decode(v any) error { return jsvalue.Assign(m.Value, v) }
