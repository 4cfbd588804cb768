package nodeipc

import "fmt"

// Serialization is how messages are written on a channel, as Node's
// serialization option of child_process.fork and spawn.
type Serialization string

// The serializations Node knows.
const (
	// JSON is Node's default: each message is one line of JSON.stringify
	// output followed by "\n" (package nodejson).
	JSON Serialization = "json"
	// Advanced is the runtime's own value serializer. With Node, each
	// message is a 4-byte big-endian length and a V8 payload with Node's
	// host objects (package v8); with Bun, a packet of Bun's framing holding
	// JavaScriptCore's serialized value (package jsc). Options.Runtime
	// says which.
	Advanced Serialization = "advanced"
)

// DefaultFD is the fd number the child finds its end of the channel at,
// unless Options.FD says otherwise: fork's default stdio puts 'ipc' fourth.
const DefaultFD = 3

// DefaultMaxMessageSize is the largest message accepted from the peer unless
// Options.MaxMessageSize says otherwise: a JSON line without its newline, or
// an advanced payload without its length prefix.
const DefaultMaxMessageSize = 64 << 20

// maxHandleRetransmissions is Node's MAX_HANDLE_RETRANSMISSIONS: how many
// times a handle the peer answered with NODE_HANDLE_NACK is sent again.
const maxHandleRetransmissions = 3

// Options configure a channel. The zero value is Node's defaults: json,
// the child's end at fd 3, DefaultMaxMessageSize.
type Options struct {
	// Serialization is JSON (the default when empty) or Advanced.
	Serialization Serialization
	// FD is the fd number of the child's end (Start only); 0 means
	// DefaultFD. It must be 3 or more: 0, 1 and 2 are the child's stdio.
	FD int
	// MaxMessageSize bounds each received message in bytes; 0 means
	// DefaultMaxMessageSize. A longer JSON line is an error and is
	// skipped; a longer advanced frame ends the channel.
	MaxMessageSize int
	// Runtime is the peer's runtime, which decides Advanced's wire format:
	// Node (V8's) or Bun (JavaScriptCore's, in Bun's packets). Empty means
	// detect, as "Bun" in the package doc says. JSON ignores it.
	Runtime Runtime
	// OnMessage, when set, receives every message from the first one on,
	// instead of Recv, as Channel.OnMessage sets it.
	OnMessage Handler
	// OnSendError, when set, is told of each message that failed after its
	// Send or SendHandle returned, and whose SendHandle had neither
	// SendOptions.Wait nor Done: a handle the peer gave up, a queued
	// message whose write failed, a queued one dropped when the channel
	// ended. It runs on the goroutine that learned of the failure (the one
	// reading the peer's answer, or the one closing the channel), never
	// under the channel's locks: it may call Send, and must not block. A
	// failure it is not set for is dropped, as Node only warns of a handle
	// not received; a broken channel says so itself in its next Send and
	// Recv.
	OnSendError func(*SendError)
}

func (o Options) serialization() (Serialization, error) {
	switch o.Serialization {
	case "":
		return JSON, nil
	case JSON, Advanced:
		return o.Serialization, nil
	}
	return "", fmt.Errorf("nodeipc: unknown serialization %q (want %q or %q)", string(o.Serialization), JSON, Advanced)
}

func (o Options) maxMessageSize() int {
	if o.MaxMessageSize > 0 {
		return o.MaxMessageSize
	}
	return DefaultMaxMessageSize
}
