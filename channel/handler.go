package channel

import "io"

// batchSize is how many values one wake-up of the loop delivers to a
// message handler before the loop gets on with its other work; the rest
// wait for the next pass.
const batchSize = 256

// OnMessage switches the port to the event style: fn runs on the port's
// loop, under its lock, with each value in order (err nil), and once with
// io.EOF when the other end has ended, after which the port closes. fn must
// not block; it may write to the port, or close it. Read returns an error
// while a handler is set; OnMessage(nil) goes back to Read.
func (p *Port) OnMessage(fn func(v any, err error)) {
	p.mu.Lock()
	p.handler = fn
	p.handled.Store(fn != nil)
	p.mu.Unlock()
	p.in.readable.wake() // a Read waiting now returns
	p.async.Send()       // deliver what is waiting already
}

func (p *Port) currentHandler() func(any, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ending {
		return nil
	}
	return p.handler
}

// onAsync runs on the loop when the port is woken: it delivers up to a
// batch of values to the handler, or notices the other end's end.
func (p *Port) onAsync() {
	p.in.pending.Store(false) // before looking: a later push wakes again
	for range batchSize {
		fn := p.currentHandler()
		if fn == nil {
			p.checkEnd()
			return
		}
		select {
		case p.in.rsem <- struct{}{}:
		default:
			p.async.Send() // a Read is leaving: come back on the next pass
			return
		}
		ended := p.in.ended.Load() // before the pop: all it wrote came before
		v, ok := p.in.pop()
		<-p.in.rsem
		if !ok {
			if ended {
				fn(nil, io.EOF)
				p.remoteEnded()
			}
			return
		}
		p.in.writable.fire()
		v, err := attach(v, p.loop)
		fn(v, err)
	}
	p.async.Send() // more than a batch: the next pass takes the rest
}

// checkEnd closes a port without a handler once the other end has ended and
// nothing is left to read: there is nothing to keep its loop alive for.
func (p *Port) checkEnd() {
	if p.in.ended.Load() && p.in.len() == 0 && !p.in.closed.Load() {
		p.remoteEnded()
	}
}
