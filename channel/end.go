package channel

// How a port ends, as bare-channel's handshake: an end travels behind the
// values written before it, so the other side reads all of them and then
// io.EOF; the side that reads the other's end closes itself. Either side
// can end first, or both at once.

// Close ends this side of the channel and closes the port. The other end
// reads what this one wrote before Close, then io.EOF, and closes in turn;
// its writes from now on fail with ErrEnded. Values the other end wrote that
// this one has not read are dropped (moved handles among them closed).
// Close returns once the port's handle has closed (inside a handler, once
// that has started); it does not wait for the other end. Closing twice does
// nothing.
func (p *Port) Close() error {
	p.end(false)
	if !p.loop.InLoop() {
		<-p.done
	}
	return nil
}

// remoteEnded closes the port after its reader or handler saw the other
// end's end; reads go on returning io.EOF.
func (p *Port) remoteEnded() { p.end(true) }

// end starts closing the port, once.
func (p *Port) end(eof bool) {
	p.mu.Lock()
	if p.ending {
		p.mu.Unlock()
		return
	}
	p.ending, p.eof = true, eof
	p.mu.Unlock()
	p.endDirections()
	p.async.Close()
}

// endDirections marks both directions ended by this side, wakes everyone
// waiting on them, and drops what will never be read.
func (p *Port) endDirections() {
	p.out.ended.Store(true)
	p.in.closed.Store(true)
	p.out.notifyEnd()    // the other end's reader, and our own writers
	p.in.readable.wake() // our own readers
	p.in.writable.wake() // the other end's writers
	p.in.discard()
}

// handleClosed runs under the loop lock when the port's async handle has
// closed: after end, or because the loop closed under the port, which ends
// it as Close would.
func (p *Port) handleClosed() {
	p.mu.Lock()
	first := !p.ending
	p.ending = true
	p.mu.Unlock()
	if first {
		p.endDirections()
	}
	close(p.done)
}

// Ref makes the port keep its loop alive (the default).
func (p *Port) Ref() { p.async.Ref() }

// Unref makes the port stop keeping its loop alive: uv.Loop.Wait may
// return while it is open, and when the loop then closes, the port ends.
func (p *Port) Unref() { p.async.Unref() }

// HasRef reports whether the port keeps its loop alive.
func (p *Port) HasRef() bool { return p.async.HasRef() }
