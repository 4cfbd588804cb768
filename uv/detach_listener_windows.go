package uv

/*
#include "shim.h"
*/
import "C"

// detachListener is not supported on Windows yet: a named pipe instance has
// no duplicate a loop can open, and a listening TCP socket's duplicate would
// need the connection libuv may have accepted and not handed out taken out
// first, which package uv does only with unix fds (uvp_take_accepted).
func (s *Stream) detachListener(bool) (*Detached, error) {
	return nil, check("detach", C.UV_ENOTSUP)
}

// removePath does nothing on Windows: a named pipe goes away with its last
// handle.
func removePath(string) {}
