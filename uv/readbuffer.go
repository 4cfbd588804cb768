//go:build cgo

package uv

// readBuffer holds the bytes a stream has read and not yet returned, in one
// array that is reused: appending after everything was returned starts at
// the front again, and unread bytes move to the front before the array
// grows. Reads therefore allocate nothing in the steady state.
type readBuffer struct {
	b []byte // b[r:] is unread
	r int
}

func (q *readBuffer) len() int { return len(q.b) - q.r }

// bytes returns the unread bytes; they stay valid until the next append.
func (q *readBuffer) bytes() []byte { return q.b[q.r:] }

func (q *readBuffer) consume(n int) {
	q.r += n
	if q.r == len(q.b) {
		q.b, q.r = q.b[:0], 0
	}
}

func (q *readBuffer) append(p []byte) {
	if q.r > 0 && len(q.b)+len(p) > cap(q.b) {
		n := copy(q.b, q.b[q.r:])
		q.b, q.r = q.b[:n], 0
	}
	q.b = append(q.b, p...)
}

// takeAll returns a copy of the unread bytes and empties the buffer.
func (q *readBuffer) takeAll() []byte {
	out := append([]byte(nil), q.bytes()...)
	q.b, q.r = q.b[:0], 0
	return out
}
