package uv

/*
#include "shim.h"
*/
import "C"

// detachListener is not supported on Windows yet: a listening socket or
// named pipe instance is tied to its loop's completion port, and moving it
// needs a duplicate of its HANDLE that package uv does not make there yet.
func (s *Stream) detachListener(bool) (*Detached, error) {
	return nil, check("detach", C.UV_ENOTSUP)
}

// removePath does nothing on Windows: a named pipe goes away with its last
// handle.
func removePath(string) {}
