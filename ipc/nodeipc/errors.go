package nodeipc

import (
	"errors"
	"fmt"

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

// BunAdvancedError ends an advanced channel whose peer speaks Bun's advanced
// serialization (JavaScriptCore's format): use json with Bun.
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
