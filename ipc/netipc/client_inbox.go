package netipc

import (
	"errors"
	"io"
	"sync"

	"github.com/uvpipe/uvpipe/ipc/netipc/wire"
)

// clientInbox is how a session's packets reach its goroutine. They are read
// and decoded in libuv's read callback, on the loop's thread; there a
// RESPONSE or PONG goes straight to the call waiting for it, which costs no
// hand-off to the session's goroutine, unless packets for the handlers wait
// before it: then it queues behind them, so a call returns only after the
// handlers saw what the server sent before its answer (a publication to
// the publisher itself, for one). Everything else is queued for the
// session's goroutine, which runs the handlers in order, as before.
type clientInbox struct {
	split wire.Splitter
	dead  bool // the read side ended: later reads are ignored (loop only)

	mu    sync.Mutex
	items []inboxItem
	busy  bool          // the goroutine is handling items taken from the queue
	wake  chan struct{} // a token when items were queued
}

// inboxItem is a packet, a packet that did not parse (err, not end), or
// the end of the stream (end, with how it ended).
type inboxItem struct {
	p   wire.Packet
	err error
	end bool
}

func newClientInbox(max int) *clientInbox {
	return &clientInbox{split: wire.Splitter{Max: max}, wake: make(chan struct{}, 1)}
}

// onRead is the session's read callback.
func (s *clientSession) onRead(in *clientInbox, data []byte, err error) {
	if in.dead {
		return
	}
	err = in.split.FeedPackets(data, err, func(p wire.Packet, perr error) {
		if perr == nil && (p.Type == wire.PacketResponse || p.Type == wire.PacketPong) && in.idle() {
			s.resolve(p)
			return
		}
		in.push(inboxItem{p: p, err: perr})
	})
	if err != nil {
		in.dead = true
		in.push(inboxItem{err: err, end: true})
	}
}

// idle tells whether nothing is queued or being handled.
func (in *clientInbox) idle() bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	return len(in.items) == 0 && !in.busy
}

func (in *clientInbox) push(it inboxItem) {
	in.mu.Lock()
	in.items = append(in.items, it)
	in.mu.Unlock()
	select {
	case in.wake <- struct{}{}:
	default:
	}
}

// take waits for queued items and takes them all; nil once killed is
// closed and nothing is queued.
func (in *clientInbox) take(killed <-chan struct{}) []inboxItem {
	in.mu.Lock()
	for len(in.items) == 0 {
		in.busy = false
		in.mu.Unlock()
		select {
		case <-in.wake:
		case <-killed:
			return nil
		}
		in.mu.Lock()
	}
	items := in.items
	in.items, in.busy = nil, true
	in.mu.Unlock()
	return items
}

// serveInbox runs the handlers for the queued packets until the stream
// ends or the session is closed.
func (s *clientSession) serveInbox(in *clientInbox) {
	onError := s.cl.opts.OnError
	for {
		items := in.take(s.killed)
		if items == nil {
			return
		}
		for _, it := range items {
			var pe *wire.PacketError
			switch {
			case it.end:
				s.mu.Lock()
				quiet := s.closing || it.err == io.EOF
				s.mu.Unlock()
				if !quiet && onError != nil {
					onError(it.err)
				}
				return
			case errors.As(it.err, &pe):
				if onError != nil {
					onError(it.err)
				}
			default:
				s.handle(it.p)
			}
		}
	}
}

// kill ends serveInbox once the session's pipe is closed: a closed pipe
// calls no read callback.
func (s *clientSession) kill() { s.killOnce.Do(func() { close(s.killed) }) }
