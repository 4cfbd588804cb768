package uv

import "errors"

// ErrNoCgo is what package uv returns, from every call that can fail, in a
// program built without cgo (CGO_ENABLED=0): see "Without cgo" in the
// package doc. A build with cgo never returns it.
var ErrNoCgo = errors.New("uv: this program was built without cgo (CGO_ENABLED=0), and uvpipe drives libuv through cgo: build it with CGO_ENABLED=1 and a C compiler, linking the libuv of uvpipe's build.sh or the system's (-tags system_libuv)")
