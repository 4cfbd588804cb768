//go:build cgo

package uv

import "fmt"

// HandleType is a libuv handle type, numbered as libuv's uv_handle_type: these
// are the numbers a pending handle's type has on the wire of bare-pipe.
type HandleType int

// The handle types that matter for handle passing, with libuv's numbers.
const (
	Unknown   HandleType = 0
	NamedPipe HandleType = 7
	TCPHandle HandleType = 12
	TTY       HandleType = 14
	UDPHandle HandleType = 15
	File      HandleType = 17
)

// String returns the type's name ("tcp", "pipe").
func (t HandleType) String() string {
	switch t {
	case Unknown:
		return "unknown"
	case NamedPipe:
		return "pipe"
	case TCPHandle:
		return "tcp"
	case TTY:
		return "tty"
	case UDPHandle:
		return "udp"
	case File:
		return "file"
	}
	return fmt.Sprintf("HandleType(%d)", int(t))
}
