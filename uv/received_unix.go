//go:build cgo && !windows

package uv

// receivedAsFile: a received fd can become an *os.File (Received.File).
const receivedAsFile = true

// openReceived makes a handle of a received fd's kind on loop l, as OpenFD.
func openReceived(l *Loop, fd int, _ HandleType) (IPCAcceptable, error) {
	return OpenFD(l, fd)
}

// sendable reports whether a handle of type t can be sent over an IPC pipe
// here: on unix, libuv sends any fd.
func sendable(HandleType) error { return nil }
