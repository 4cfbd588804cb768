//go:build cgo

package uv

// QuietReads reports how many reads s took after a pass (from its C buffer
// or its lent one) rather than in a read callback.
func QuietReads(s *Stream) uint64 {
	re := s.loop.acquire()
	defer s.loop.release(re)
	return s.quietReads
}

// QuietPasses runs passes of s's loop as a Read waiting for s would see
// them, calling between each pass and the next, and takes what quiet reads
// left, as that Read does after its wait. The loop must have no other
// leader.
func QuietPasses(s *Stream, between []func()) error {
	re := s.loop.acquire()
	defer s.loop.release(re)
	if err := s.startReading(); err != nil {
		return err
	}
	s.ch.stash_ok = 1
	for _, f := range between {
		f()
		s.loop.pass()
	}
	s.takeStash()
	return nil
}
