package uv

/*
#include "shim.h"
*/
import "C"

// SetPendingInstances sets how many instances of its named pipe a pipe
// server keeps waiting for clients on Windows (libuv's
// uv_pipe_pending_instances; libuv's default is 4). A Windows pipe server has
// no listen queue: each client connects to an instance of the pipe, and a
// client that finds every instance taken gets ERROR_PIPE_BUSY (libuv's
// connect then waits for one with WaitNamedPipe), so this count plays the
// part of the backlog. It applies only before Bind (libuv ignores it after)
// and makes the pipe a server; elsewhere it does nothing. n <= 0 is ignored.
func (p *Pipe) SetPendingInstances(n int) error {
	return p.locked(func() error {
		if n > 0 {
			C.uv_pipe_pending_instances(p.pipePtr(), C.int(n))
		}
		return nil
	})
}
