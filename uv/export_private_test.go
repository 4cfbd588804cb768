//go:build cgo

package uv

// HeaderVersion is the version of the libuv headers the package was
// compiled against.
func HeaderVersion() string { return headerVersion() }

// Dispatching reports whether a leader can dispatch without a pass in this
// build and run (Dispatched stays zero otherwise).
func Dispatching() bool { return dispatching() }
