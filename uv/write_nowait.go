package uv

/*
#include "shim.h"
*/
import "C"

import "errors"

// ErrQueueFull is returned by WriteNoWait when the bytes already queued for
// the stream have reached its limit: nothing of p was written.
var ErrQueueFull = errors.New("uv: write queue at its limit")

// WriteNoWait writes p without waiting for the peer, from any goroutine:
// what the socket takes at once is written by uv_try_write, and the rest is
// copied and queued in libuv, as a Write inside a handler queues it; it then
// returns len(p). Its bytes are contiguous on the wire and ordered with
// other Writes as Write's are. When limit > 0 and the bytes already queued
// (WriteQueueSize) are limit or more, it writes nothing and returns
// ErrQueueFull, so a caller that never writes more than it can hold bounds
// the stream's queue by limit plus one write. From inside another loop's
// handler (where this loop's lock cannot be waited for) the check uses the
// queue's size as last seen on this loop, and p is handed over as Write
// hands it. A failure of a queued part is returned by a later write.
func (s *Stream) WriteNoWait(p []byte, limit int) (int, error) {
	return s.writeMode(p, nil, false, max(limit, 0))
}

// StartCloseWrite starts the half close CloseWrite makes, after the queued
// writes, and returns without waiting for it: a peer that never reads
// cannot hold up the caller. Closing the stream later discards what is
// still queued.
func (s *Stream) StartCloseWrite() error {
	return s.lockedHere(func() error {
		if s.shutdown == 0 {
			if r := C.uvp_shutdown(s.ch); r < 0 {
				return check("shutdown", r)
			}
			s.shutdown = 1
			s.loop.wake(&s.Handle)
		}
		return nil
	})
}

// QueuedBytes is WriteQueueSize as last seen on the stream's loop, read
// without taking its lock: after a write queued bytes, and after each
// queued write completed (0 once the queue has drained).
func (s *Stream) QueuedBytes() int { return int(s.queueHint.Load()) }
