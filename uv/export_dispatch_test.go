//go:build cgo

package uv

// Dispatched reports how many times a leader handed the one ready fd to its
// watcher without a pass of the loop (uvp_dispatch).
func Dispatched(l *Loop) (n uint64) {
	re := l.acquire()
	defer l.release(re)
	return l.dispatched
}

// Signals reports how many times a goroutine that followed on l was woken.
func Signals(l *Loop) (n uint64) {
	re := l.acquire()
	defer l.release(re)
	return l.signals
}

// Followers reports how many goroutines follow on l.
func Followers(l *Loop) (n int) {
	re := l.acquire()
	defer l.release(re)
	return l.waiting.n
}

// WaitsFor reports the loop whose lock a thread inside l waits for, if any.
func WaitsFor(l *Loop) *Loop { return l.waitsFor.Load() }
