//go:build cgo

package uv

import "fmt"

// HandleType is a libuv handle type, numbered as libuv's uv_handle_type: these
// are the numbers a pending handle's type has on the wire of bare-pipe.
type HandleType int

// The handle types, with libuv's numbers: those that matter for handle
// passing, and those of the handles without an fd that Type reports.
const (
	UnknownHandle HandleType = 0
	AsyncHandle   HandleType = 1
	NamedPipe     HandleType = 7
	TCPHandle     HandleType = 12
	TimerHandle   HandleType = 13
	TTYHandle     HandleType = 14
	UDPHandle     HandleType = 15
	FileHandle    HandleType = 17
)

// String returns the type's name ("tcp", "pipe").
func (t HandleType) String() string {
	switch t {
	case UnknownHandle:
		return "unknown"
	case AsyncHandle:
		return "async"
	case TimerHandle:
		return "timer"
	case NamedPipe:
		return "pipe"
	case TCPHandle:
		return "tcp"
	case TTYHandle:
		return "tty"
	case UDPHandle:
		return "udp"
	case FileHandle:
		return "file"
	}
	return fmt.Sprintf("HandleType(%d)", int(t))
}
