package channel

import "sync/atomic"

// Capacity is how many values a direction of a channel holds that the
// receiving port has not read yet: bare-channel's ring has 1023 usable slots,
// this one 1024 (a power of two, with free-running counters, so every slot
// is used). A writer blocks, or TryWrite fails with ErrFull, while it is full.
const Capacity = 1024

// ring is a bounded single-producer, single-consumer queue. Writers of a
// port take its write lock and readers its read lock, so at most one
// goroutine pushes and one pops at a time; the two sides meet only through
// the atomic counters.
type ring struct {
	slots [Capacity]any
	w     atomic.Uint64 // next slot to write; stored by the producer
	_     [56]byte      // keep the counters on separate cache lines
	r     atomic.Uint64 // next slot to read; stored by the consumer
}

func (q *ring) len() int { return int(q.w.Load() - q.r.Load()) }

// push adds v unless the ring is full. Producer only.
func (q *ring) push(v any) bool {
	w := q.w.Load()
	if w-q.r.Load() == Capacity {
		return false
	}
	q.slots[w%Capacity] = v
	q.w.Store(w + 1)
	return true
}

// pop takes the oldest value. Consumer only.
func (q *ring) pop() (any, bool) {
	r := q.r.Load()
	if r == q.w.Load() {
		return nil, false
	}
	v := q.slots[r%Capacity]
	q.slots[r%Capacity] = nil
	q.r.Store(r + 1)
	return v, true
}
