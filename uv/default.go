//go:build cgo

package uv

import "sync"

var (
	defaultOnce sync.Once
	defaultLoop *Loop
	defaultErr  error
)

// Default returns the process-wide loop, started on first use with its
// background leader. It lives as long as the process and cannot be closed.
// It panics if libuv cannot make a loop at all (out of memory or fds).
func Default() *Loop {
	defaultOnce.Do(func() {
		defaultLoop, defaultErr = NewLoop()
		if defaultErr == nil {
			defaultLoop.isDefault = true
		}
	})
	if defaultErr != nil {
		panic("uv: cannot start the default loop: " + defaultErr.Error())
	}
	return defaultLoop
}
