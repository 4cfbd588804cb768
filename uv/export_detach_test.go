//go:build cgo

package uv

// BufferedMarks reports at how many places p holds received handles ahead
// of bytes not read yet: for tests that move such a pipe.
func BufferedMarks(p *Pipe) (n int) {
	p.locked(func() error { n = len(p.marks); return nil })
	return n
}

// ReadBusy reports whether a Read holds s's read turn.
func ReadBusy(s *Stream) bool {
	if s.rop.mu.TryLock() {
		s.rop.mu.Unlock()
		return false
	}
	return true
}
