package uv

/*
#include "shim.h"
*/
import "C"

// OnWriteDone sets fn to run under the loop lock each time a write request
// that libuv had queued completes (uv_write's callback), with the bytes
// still queued after it (WriteQueueSize) and the request's failure, if any
// (which the next Write returns too). Queued is 0 once the queue has
// drained: Node's 'drain'. A handler that writes faster than the peer
// reads can so stop reading above a high-water mark (OnRead(nil)) and
// resume when fn reports the queue below a low one. Writes the socket took
// at once never queue and never call fn. OnWriteDone(nil) removes it.
func (s *Stream) OnWriteDone(fn func(queued int, err error)) error {
	return s.locked(func() error { s.onWritten = fn; return nil })
}

// writeDone runs fn, if set, after a write request completed. Called from
// the write callback, under the loop lock.
func (s *Stream) writeDone(status C.int) {
	s.queueHint.Store(int64(C.uv_stream_get_write_queue_size(s.stream())))
	if s.onWritten == nil {
		return
	}
	var err error
	if status < 0 {
		err = check("write", status)
	}
	s.onWritten(int(C.uv_stream_get_write_queue_size(s.stream())), err)
}
