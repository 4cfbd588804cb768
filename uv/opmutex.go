//go:build cgo

package uv

import "sync"

// opMutex serializes one side of a handle's operations: a stream's Reads
// (which own its lent buffer, its quiet reads and the handles that arrived
// with its bytes) or its Writes (so that one Write's bytes are contiguous on
// the wire), and a UDP handle's ReadFrom or WriteTo calls. It plays the part
// of one side of internal/poll.fdMutex: concurrent callers take turns, they
// never share a buffer.
//
// An operation takes its opMutex before the loop lock and holds it across
// every wait on the loop (l.await lets the loop lock go while it leads or
// follows; that is when a second caller could otherwise come in). The loop
// lock is never held while waiting for an opMutex, so the two cannot
// deadlock. Uncontended, lock and unlock are one atomic operation each.
//
// The closed flag is the handle's own (closing, closed, checked by usable
// under the loop lock): an operation checks it after it has both locks, so
// callers that queued for the opMutex before a Close give up in turn. Close
// marks the handle closing, which wakes the operation that holds the
// opMutex (its wait on the loop ends on closing), and then waits for it to
// leave (drain).
type opMutex struct{ mu sync.Mutex }

// lock takes m for one operation on a handle of loop l. Inside a loop (a
// handler, or a function given to Loop.Do: the calling thread holds a loop
// lock) it never waits: the operation holding m may need this very thread's
// pass to finish, or, for another loop, waiting would break the rule that
// one loop never waits for another. It reports false when m is held, and the
// caller then does not wait either (a Read returns ErrWouldBlock).
func (m *opMutex) lock(l *Loop) bool {
	if m.mu.TryLock() {
		return true
	}
	if l.InLoop() || l.elsewhere() {
		return false
	}
	m.mu.Lock()
	return true
}

func (m *opMutex) unlock() { m.mu.Unlock() }

// drain waits until the operation that holds m, if any, has left. Close
// calls it without the loop lock, after marking the handle closing.
func (m *opMutex) drain() {
	m.mu.Lock()
	m.mu.Unlock()
}
