package nodeipc

import (
	"errors"
	"fmt"
	"io"

	"github.com/uvpipe/uvpipe/ipc/nodejson"
	"github.com/uvpipe/uvpipe/ipc/v8"
)

// ErrChannelClosed is returned by Send and SendHandle once the channel is
// disconnected, by either side (Node's ERR_IPC_CHANNEL_CLOSED), and by Recv
// after this side called Disconnect or Close.
var ErrChannelClosed = errors.New("nodeipc: channel closed")

// ErrNoChannel is returned by FromEnv when the process was not started with
// an IPC channel (NODE_CHANNEL_FD is not set).
var ErrNoChannel = errors.New("nodeipc: no IPC channel: NODE_CHANNEL_FD is not set (start this program with child_process.fork, or spawn with 'ipc' in stdio)")

// ErrHandleNotReceived is the Err of the SendError that a sent handle ends
// with when the peer answered it with NODE_HANDLE_NACK after every
// retransmission (Node's SentHandleNotReceivedWarning); the channel goes on.
var ErrHandleNotReceived = errors.New("nodeipc: a sent handle did not reach the peer (NACKed after 3 retransmissions)")

// ErrNotSocket is returned by SendHandle for a handle that is not a socket:
// Node aborts when it receives a file, a tty or an OS pipe end.
var ErrNotSocket = errors.New("nodeipc: only sockets can be sent to Node (a file, tty or OS pipe would abort the receiver)")

// LimitError is the error Recv returns for a JSON line longer than
// Options.MaxMessageSize; the channel goes on with the next line.
type LimitError = nodejson.LimitError

// FrameError is the error that ends an advanced channel whose length prefix
// is over Options.MaxMessageSize or is not followed by V8 data: the stream
// cannot be resynchronised.
type FrameError = v8.FrameError

// BunAdvancedError ends an advanced channel whose Options.Runtime is Node
// and whose peer opens with Bun's version packet: leave Runtime empty, or
// set it to Bun.
type BunAdvancedError = v8.BunAdvancedError

// SyntaxError is wrapped by the error Recv returns for a JSON line that
// does not parse; the channel goes on with the next line.
type SyntaxError = nodejson.SyntaxError

// MismatchError ends a channel whose peer seems to speak the other
// serialization: a json channel whose stream starts with a length prefix, or
// an advanced channel whose first frame's length is over the limit and
// reads as JSON text. Both sides must be started with the same
// Serialization.
type MismatchError struct {
	Mode Serialization // this channel's
	Peer Serialization // what the peer seems to speak
	Err  error         // the framing error met, if any
}

func (e *MismatchError) Error() string {
	return fmt.Sprintf("nodeipc: the peer seems to speak %s, but this channel reads %s (both sides need the same serialization)", e.Peer, e.Mode)
}

func (e *MismatchError) Unwrap() error { return e.Err }

// BunVersionError ends a channel whose peer opened Bun's advanced framing
// with a version packet (01, then a little-endian uint32) of a version this
// package does not know: 1 and 2 are known.
type BunVersionError struct {
	Version uint32
}

func (e *BunVersionError) Error() string {
	return fmt.Sprintf("nodeipc: the peer speaks Bun's advanced IPC version %d; this package knows versions 1 and %d", e.Version, bunMaxVersion)
}

// BunFrameError ends a channel in Bun's advanced framing whose packet has a
// type Bun does not write, or a length over Options.MaxMessageSize: the
// stream cannot be resynchronised.
type BunFrameError struct {
	Type   byte   // the packet's type byte
	Length uint32 // its length field
	Max    int    // the channel's limit
}

func (e *BunFrameError) Error() string {
	switch e.Type {
	case bunMessage, bunInternal, bunMessageBuffers:
		return fmt.Sprintf("nodeipc: a Bun advanced message of %d bytes is over the limit of %d", e.Length, e.Max)
	}
	return fmt.Sprintf("nodeipc: a Bun advanced packet of unknown type %d (length field %d)", e.Type, e.Length)
}

// RuntimeGuessError ends a channel whose peer, as its first bytes showed,
// speaks the other runtime's advanced format than the one this channel had
// guessed and already sent messages in (see "Bun" in the package doc): the
// peer could not read them and closed the channel. It wraps io.EOF. Set
// Options.Runtime when neither the command (a parent) nor the parent
// process (a child) names the peer's runtime.
type RuntimeGuessError struct {
	Runtime Runtime // what the peer speaks
	Sent    int     // messages this side had written in the other format
}

func (e *RuntimeGuessError) Error() string {
	return fmt.Sprintf("nodeipc: the peer speaks %s's advanced format and closed the channel after this side had sent %d message(s) in the other runtime's; set Options.Runtime to %q", e.Runtime, e.Sent, e.Runtime)
}

// Unwrap returns io.EOF: the peer ended the channel.
func (e *RuntimeGuessError) Unwrap() error { return io.EOF }
