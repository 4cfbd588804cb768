package uv

/*
#include "shim.h"
*/
import "C"

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	pointer "github.com/mattn/go-pointer"

	"github.com/uvpipe/uvpipe/internal/wait"
)

// Loop is one libuv loop behind a loop lock. The zero value is not usable:
// get one from NewLoop or Default.
type Loop struct {
	mu sync.Mutex // the loop lock: held for every call into libuv for this loop
	cl *C.uv_loop_t

	async    *C.uvp_handle // the one wake-up handle, coalesced by libuv
	asyncKey unsafe.Pointer
	poller   *wait.Poller

	// Under mu.
	leader    bool        // a goroutine leads (runs passes, or polls without the lock)
	waiting   waiterQueue // goroutines that follow (waiter.go)
	closing   bool        // Close waits for the leader to step down
	closed    bool
	isDefault bool
	passFirst bool // the next leader's first step runs a pass even if libuv seems idle
	ranWork   bool // a callback ran or followers were woken since the leader last waited
	// dispatched counts the events handed to their watcher without a pass
	// (uvp_dispatch), for tests.
	dispatched uint64
	signals    uint64 // followers woken (waiter.go), for tests
	// asyncs are the program's open Async handles, which shutdown marks
	// dead before it closes them (Async.markDead).
	asyncs map[*Async]struct{}

	polling atomic.Bool  // the leader waits on the backend fd without the lock
	plat    loopPlatform // the platform's side of the wait (backend_*.go)
	// gone is closed, for readers without the lock (acquire): set with it.
	gone atomic.Bool
	// waitsFor is the loop whose lock a thread inside this one waits for
	// (acquire), so that two loops waiting for each other are seen.
	waitsFor atomic.Pointer[Loop]

	postMu     sync.Mutex
	posted     []posting
	postClosed bool // under postMu: the loop is closing, Post fails
	// Under postMu: writes other loops handed to streams of this loop, in
	// order (crossloop.go); crossPending counts them, read without the lock.
	crossWrites  map[*Stream][]crossWrite
	crossPending atomic.Int32
	flushing     *Stream // under mu: the stream whose cross writes are being written

	bg *wait.Background
}

// LoopConfig configures a new loop. The zero value is the usual loop.
type LoopConfig struct {
	// Manual leaves the loop without a background leader: handlers, timers
	// and posted functions then run only while some goroutine waits on the
	// loop (a blocking Read, Accept, Close...) or drives it with Run.
	Manual bool

	// wait is how the leader waits (package internal/wait); its zero value,
	// the default, follows the environment (UVPIPE_SPIN, UVPIPE_HOLD,
	// UVPIPE_NETPOLL). Tests set it.
	wait wait.Config
}

// NewLoop makes a loop with its own background leader. Close it when done.
func NewLoop() (*Loop, error) { return LoopConfig{}.NewLoop() }

// NewLoop makes a loop as configured. Close it when done.
func (c LoopConfig) NewLoop() (*Loop, error) {
	l := &Loop{cl: (*C.uv_loop_t)(C.calloc(1, C.sizeof_uv_loop_t))}
	if l.cl == nil {
		return nil, errors.New("uv: out of memory for a loop")
	}
	if err := check("uv_loop_init", C.uv_loop_init(l.cl)); err != nil {
		C.free(unsafe.Pointer(l.cl))
		return nil, err
	}
	l.asyncKey = pointer.Save(l)
	l.cl.data = l.asyncKey // loopOf finds l from the thread's current loop
	l.async = C.uvp_handle_new(l.asyncKey, 0)
	if r := C.uvp_async_init(l.cl, l.async); r < 0 {
		C.free(unsafe.Pointer(l.async))
		pointer.Unref(l.asyncKey)
		C.uv_loop_close(l.cl)
		C.free(unsafe.Pointer(l.cl))
		return nil, check("uv_async_init", r)
	}
	p, err := wait.NewPoller(int(C.uv_backend_fd(l.cl)), c.wait)
	if err != nil {
		l.mu.Lock()
		l.shutdown()
		l.mu.Unlock()
		return nil, err
	}
	l.poller = p
	l.bg = wait.StartBackground(wait.Owner{
		Lock:   l.locker(),
		Busy:   func() bool { return l.closed || l.closing || l.leader || l.waiting.n > 0 },
		Lead:   func() { l.lead(func() bool { return false }, nil, true) },
		Ended:  func() bool { return l.closed },
		Manual: c.Manual,
	})
	return l, nil
}

// Close closes every handle still open on the loop, runs their close
// callbacks, and frees the loop. Goroutines blocked on its handles return
// net.ErrClosed or ErrLoopClosed; functions posted and not yet run when it
// frees the loop are dropped, and Post fails from then on. The default loop
// cannot be closed. Inside a handler or a function given to Do, of this
// loop or another, Close returns ErrWouldBlock: it waits for the loop.
func (l *Loop) Close() error {
	if l.isDefault {
		return errors.New("uv: the default loop cannot be closed")
	}
	re, cross := l.acquireOrCross()
	if cross {
		return ErrWouldBlock
	}
	if re {
		l.release(re)
		return ErrWouldBlock
	}
	if l.elsewhere() {
		l.mu.Unlock()
		return ErrWouldBlock
	}
	if l.closed || l.closing {
		l.mu.Unlock()
		return nil
	}
	l.closing = true
	for l.leader { // let the leader see closing and step down
		l.wakeAll()
		l.follow(nil, nil)
	}
	l.shutdown()
	l.mu.Unlock()
	l.bg.Stop()
	return nil
}

// shutdown closes all handles and the loop itself. Called with mu held and
// no leader.
func (l *Loop) shutdown() {
	l.postMu.Lock()
	l.postClosed = true // no uv_async_send from now on: the handle goes
	dropped := l.posted
	l.posted = nil
	l.postMu.Unlock()
	for _, p := range dropped {
		if p.drop != nil {
			p.drop()
		}
	}
	for a := range l.asyncs {
		a.markDead() // before uv_close: no Send may reach uv_async_send from now on
	}
	C.uvp_close_all(l.cl, nil)
	for C.uv_loop_close(l.cl) == C.UV_EBUSY {
		C.uvp_run_nowait(l.cl)
	}
	l.closed = true
	l.gone.Store(true)
	C.free(unsafe.Pointer(l.cl))
	pointer.Unref(l.asyncKey)
	if l.poller != nil {
		l.poller.Close()
	}
	l.notifyAll()
}

// acquire takes the loop lock, or reports that the calling thread holds it
// already: a handler or a function given to Do calling back into the package.
// A thread inside another loop that finds the lock taken breaks the rule of
// the package doc ("Loops and locks"); it waits, unless the loops would wait
// for each other (lockFrom).
func (l *Loop) acquire() (reentered bool) {
	if l.mu.TryLock() {
		return false
	}
	switch cur := C.uvp_current_loop(); {
	case cur == nil:
	case cur == l.cl && !l.gone.Load():
		return true
	default:
		l.lockFrom(loopOf(cur))
		return false
	}
	l.lock()
	return false
}

func (l *Loop) release(reentered bool) {
	if !reentered {
		l.mu.Unlock()
	}
}

// InLoop reports whether the calling goroutine runs under the loop lock:
// inside one of the loop's handlers or a function given to Do. Code that may
// run there must not block on the loop.
func (l *Loop) InLoop() bool {
	return C.uvp_current_loop() == l.cl
}

// Do runs f under the loop lock on the calling goroutine and returns when it
// has run. Inside f, handle methods do not wait (see the package doc). A panic
// in f reaches the caller of Do with the lock released. Inside one of this
// loop's handlers, or a function it runs with Do, f runs at once. Inside
// another loop's, Do returns ErrWouldBlock without running f: it would take
// this loop's lock while holding that one's (see "Loops and locks" in the
// package doc); Post hands f over instead.
func (l *Loop) Do(f func()) error {
	re, cross := l.acquireOrCross()
	if cross {
		return ErrWouldBlock
	}
	defer l.release(re)
	if l.closed {
		return ErrLoopClosed
	}
	if re {
		f()
		return nil
	}
	runtime.LockOSThread()
	prev := C.uvp_enter(l.cl)
	defer func() {
		C.uvp_leave(prev)
		runtime.UnlockOSThread()
		l.wake(nil)
	}()
	if prev != nil {
		return ErrWouldBlock // the lock was free, but this thread is inside another loop
	}
	f()
	return nil
}

// Post queues f to run under the loop lock on whichever goroutine leads the
// loop, and returns at once; it never waits for the loop, so it may be
// called from anywhere, a handler of another loop included. Functions posted
// by one goroutine run in the order posted. A panic in f is fatal, as in a
// handler (see the package doc). Once Close has freed the loop, Post returns
// ErrLoopClosed; functions posted but not yet run by then never run.
func (l *Loop) Post(f func()) error { return l.post(f, nil) }

// posting is a posted function, and what releases what it holds if the loop
// closes before it runs (nil for nothing).
type posting struct{ run, drop func() }

// post is Post, with drop to run instead of f if the loop closes first:
// drop runs under the loop lock, from Close, and must not touch the loop.
func (l *Loop) post(f, drop func()) error {
	l.postMu.Lock()
	defer l.postMu.Unlock()
	if l.postClosed {
		return ErrLoopClosed
	}
	l.postLocked(f, drop)
	return nil
}

// postLocked is post with postMu held, the loop known open.
func (l *Loop) postLocked(f, drop func()) {
	first := len(l.posted) == 0
	l.posted = append(l.posted, posting{f, drop})
	if first {
		// Under postMu, so that Close cannot free the handle meanwhile.
		C.uv_async_send(l.asyncHandle())
	}
}

// runPosted runs the posted functions, in order, from the async callback.
func (l *Loop) runPosted() {
	l.postMu.Lock()
	batch := l.posted
	l.posted = nil
	l.postMu.Unlock()
	for _, p := range batch {
		p.run()
	}
}

// wake makes a leader that polls without the lock run a pass, so that what
// was just started under the lock (a queued write, a new watcher, a moved
// deadline) is seen, and lets the followers that wait on h, and those that
// wait on no particular handle, look at their conditions again. h is nil
// when no one handle changed. Called with mu held.
func (l *Loop) wake(h *Handle) {
	if l.closed {
		return
	}
	if l.polling.Load() {
		C.uv_async_send(l.asyncHandle())
	}
	if h != nil {
		l.notify(h)
	}
	l.notifyBroad()
}

// wakeAll is wake for every follower: the loop is closing.
func (l *Loop) wakeAll() {
	if l.closed {
		return
	}
	if l.polling.Load() {
		C.uv_async_send(l.asyncHandle())
	}
	l.notifyAll()
}

// Refs returns the number of referenced active handles and requests on the
// loop: what keeps a Node or Bare process alive.
func (l *Loop) Refs() int {
	re := l.acquire()
	defer l.release(re)
	if l.closed {
		return 0
	}
	return int(C.uvp_loop_refs(l.cl, (*C.uv_handle_t)(unsafe.Pointer(l.async))))
}

// HandleCount returns the number of handles open on the loop (not closing),
// not counting the loop's own wake-up handle.
func (l *Loop) HandleCount() int {
	re := l.acquire()
	defer l.release(re)
	if l.closed {
		return 0
	}
	return int(C.uvp_handle_count(l.cl, (*C.uv_handle_t)(unsafe.Pointer(l.async))))
}

// Wait returns when the loop has no referenced handle or request left (the
// rule by which a Node or Bare process ends), or when ctx is done. Inside a
// handler or a function given to Do, of this loop or another, it returns
// ErrWouldBlock.
func (l *Loop) Wait(ctx context.Context) error {
	re, cross := l.acquireOrCross()
	if cross {
		return ErrWouldBlock
	}
	defer l.release(re)
	if re || l.elsewhere() {
		return ErrWouldBlock
	}
	var deadline time.Time
	defer l.wakeWhenDone(ctx, nil)()
	err := l.await(func() bool {
		return l.closed || ctx.Err() != nil || C.uvp_loop_refs(l.cl, (*C.uv_handle_t)(unsafe.Pointer(l.async))) == 0
	}, &deadline)
	if err == nil {
		err = ctx.Err()
	}
	return err
}

// wakeWhenDone makes the loop's waiters on h (nil: on no particular handle)
// look again when ctx is done, so a wait that depends on ctx ends; call the
// returned function to stop that.
func (l *Loop) wakeWhenDone(ctx context.Context, h *Handle) (stop func() bool) {
	return context.AfterFunc(ctx, func() {
		l.lock()
		l.wake(h)
		l.mu.Unlock()
	})
}

func (l *Loop) asyncHandle() *C.uv_async_t { return (*C.uv_async_t)(unsafe.Pointer(l.async)) }

// Run drives the loop on the calling goroutine until ctx is done or the loop
// closes: it leads whenever no other goroutine does. Inside a handler or a
// function given to Do, of this loop or another, it returns ErrWouldBlock.
func (l *Loop) Run(ctx context.Context) error {
	re, cross := l.acquireOrCross()
	if cross {
		return ErrWouldBlock
	}
	defer l.release(re)
	if re || l.elsewhere() {
		return ErrWouldBlock
	}
	defer l.wakeWhenDone(ctx, nil)()
	err := l.await(func() bool { return ctx.Err() != nil }, nil)
	if err == nil {
		err = ctx.Err()
	}
	return err
}
