//go:build cgo && !windows

package uv

// movable tells whether a handle of type t (an IPC pipe with ipc, a
// listener with listening) can move between loops: every kind can on unix,
// where Detach takes a duplicate of its fd.
func movable(HandleType, bool, bool) error { return nil }

// closeDetachedFD closes the fd a Detached of type t owns.
func closeDetachedFD(_ HandleType, fd int) error { return closeFD(fd) }
