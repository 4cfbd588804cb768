package uv

// Dispatched reports how many times a leader handed the one ready fd to its
// watcher without a pass of the loop (uvp_dispatch).
func Dispatched(l *Loop) (n uint64) {
	re := l.acquire()
	defer l.release(re)
	return l.dispatched
}
