package uv

/*
#include "shim.h"
*/
import "C"

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/uvpipe/uvpipe/internal/wait"
)

// How a leader waits on Windows. libuv's backend there is an I/O completion
// port: it has no fd to poll, and its completions cannot be looked at
// without being taken, so the leader cannot wait outside libuv with the
// lock let go, as it does on unix. It waits inside libuv instead, holding
// the lock: uv_run(UV_RUN_ONCE) blocks in GetQueuedCompletionStatusEx until
// a completion, libuv's next timer, or a wake-up through the loop's own
// async handle, then runs the callbacks, as a pass does.
//
// So that nobody waits for the lock while the leader sits in libuv, a
// goroutine that finds the lock taken counts itself in contended and, when
// the leader is in libuv (inLibuv), wakes it with uv_async_send; a leader
// that sees anyone counted does not go into libuv. inLibuv is read and
// written under wakeMu, so a wake-up never reaches a loop already freed. A
// deadline (until) is kept the same way: a runtime timer wakes the leader
// through the async handle. Before each wait the leader lets the lock go
// for a moment (runtime.Gosched), so that those who woke it take it.
//
// There is no spin, hold or netpoller wait on Windows (internal/wait's
// Config has no effect there but Manual); a waiting leader uses no CPU.
type loopPlatform struct {
	contended atomic.Int32 // goroutines waiting for the lock (lock)
	wakeMu    sync.Mutex
	inLibuv   bool // the leader is in uv_run(UV_RUN_ONCE); under wakeMu
	deadline  bool // a deadline's timer may still wake the leader; under wakeMu
}

// readsDirect is false on Windows: a Read never reads the handle itself
// (readDirect), since libuv's reads there are completions of its port, so
// a full lent buffer does not stop libuv's reading either.
const readsDirect = false

// waitBackend is the leader's wait between passes, inside libuv with the
// lock held (see loopPlatform). Called with the lock held; returns with it
// held, after the callbacks of the completions it took ran.
func (l *Loop) waitBackend(timeout int, until time.Time, yield bool) wait.Event {
	_ = yield
	// While the lock is let go, a goroutine that takes it may change what
	// the leader waits for (a deadline moved, a write queued) after the
	// leader read it: it calls wake, which sees polling and sends the async
	// handle, so the uv_run below returns at once and the leader looks again.
	l.polling.Store(true)
	l.mu.Unlock()
	runtime.Gosched()
	l.mu.Lock()
	l.polling.Store(false)
	if l.closed || l.closing || timeout == 0 {
		return wait.None
	}
	p := &l.plat
	var t *time.Timer
	if !until.IsZero() {
		d := time.Until(until)
		if d <= 0 {
			return wait.None
		}
		if timeout < 0 || d < time.Duration(timeout)*time.Millisecond {
			p.wakeMu.Lock()
			p.deadline = true
			p.wakeMu.Unlock()
			t = time.AfterFunc(d, func() {
				p.wakeMu.Lock()
				if p.deadline {
					C.uv_async_send(l.asyncHandle())
				}
				p.wakeMu.Unlock()
			})
		}
	}
	p.wakeMu.Lock()
	p.inLibuv = true
	p.wakeMu.Unlock()
	if p.contended.Load() == 0 {
		l.poller.CountBlocked()
		C.uvp_run_once(l.cl)
	}
	p.wakeMu.Lock()
	p.inLibuv, p.deadline = false, false
	p.wakeMu.Unlock()
	if t != nil {
		t.Stop()
	}
	l.afterPass()
	return wait.None
}

// lock takes the loop lock, waking a leader that waits inside libuv with
// it (see loopPlatform).
func (l *Loop) lock() {
	if l.mu.TryLock() {
		return
	}
	p := &l.plat
	p.contended.Add(1)
	p.wakeMu.Lock()
	if p.inLibuv {
		C.uv_async_send(l.asyncHandle())
	}
	p.wakeMu.Unlock()
	l.mu.Lock()
	p.contended.Add(-1)
}

// locker is the lock as the background leader takes it: through lock.
func (l *Loop) locker() sync.Locker { return (*loopLocker)(l) }

type loopLocker Loop

func (k *loopLocker) Lock()   { (*Loop)(k).lock() }
func (k *loopLocker) Unlock() { (*Loop)(k).mu.Unlock() }
