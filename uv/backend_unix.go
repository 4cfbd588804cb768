//go:build cgo && !windows

package uv

import (
	"sync"
	"time"

	"github.com/uvpipe/uvpipe/internal/wait"
)

// loopPlatform is the loop's state for its platform's wait: none on unix,
// where the leader waits on libuv's backend fd without the lock.
type loopPlatform struct{}

// readsDirect is true on unix: a Read whose lent buffer filled up reads the
// next bytes from the fd itself (readDirect) while libuv's reading is stopped.
const readsDirect = true

// waitBackend is the leader's wait between passes: it lets the lock go and
// waits for libuv's backend fd to become readable (internal/wait), or for
// timeout ms, or until. Called with the lock held; returns with it held.
func (l *Loop) waitBackend(timeout int, until time.Time, yield bool) wait.Event {
	l.polling.Store(true)
	l.mu.Unlock()
	ready := l.poller.Wait(timeout, until, yield)
	l.mu.Lock()
	l.polling.Store(false)
	return ready
}

// lock takes the loop lock. On unix a leader never holds it while it
// waits, so this is the mutex's Lock.
func (l *Loop) lock() { l.mu.Lock() }

// locker is the lock as the background leader takes it.
func (l *Loop) locker() sync.Locker { return &l.mu }
