package uv

/*
#include "shim.h"
*/
import "C"

// detachListener is not reached on Windows: movable refuses listeners there
// first (ErrNotMovable says why). It fails with ENOTSUP all the same.
func (s *Stream) detachListener(bool) (*Detached, error) {
	return nil, check("detach", C.UV_ENOTSUP)
}

// removePath does nothing on Windows: a named pipe goes away with its last
// handle.
func removePath(string) {}
