package main

import (
	"errors"
	"fmt"
)

// startIPCChild fails on Windows: the demo hands its uvpipe child one end of
// a unix socket pair as fd 3, which Windows has no counterpart of here.
func startIPCChild(name string) (*ipcChild, error) {
	return nil, fmt.Errorf("the demo's uvpipe child (%s) needs a unix socket pair: %w", name, errors.ErrUnsupported)
}
