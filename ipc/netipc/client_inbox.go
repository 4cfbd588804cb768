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
//
// The inbox is bounded: once the packets queued or being handled hold more
// than MaxInboxBytes, the session stops reading the socket, and starts
// again once its handlers have brought them under half of it. Meanwhile
// the server's writes wait in the socket and then in the server (where a
// uvpipe server's MaxOutgoingBytes and WriteTimeout apply), and answers to
// calls wait too.
type clientInbox struct {
	split wire.Splitter
	dead  bool // the read side ended: later reads are ignored (loop only)
	max   int  // the bytes at which reading pauses

	mu     sync.Mutex
	items  []inboxItem
	busy   bool          // the goroutine is handling items taken from the queue
	wake   chan struct{} // a token when items were queued
	bytes  int           // the size of the packets queued or being handled
	paused bool          // reading is stopped until bytes fall under max/2
}

// inboxItem is a packet, a packet that did not parse (err, not end), or
// the end of the stream (end, with how it ended).
type inboxItem struct {
	p   wire.Packet
	err error
	end bool
}

// size is what an item counts for in the inbox's bound.
func (it inboxItem) size() int { return len(it.p.Data) + len(it.p.Nonce) + 64 }

// DefaultMaxInboxBytes bounds a client's packets waiting for its handlers
// (ClientOptions.MaxInboxBytes).
const DefaultMaxInboxBytes = 8 << 20

func newClientInbox(maxPacket, maxInbox int) *clientInbox {
	if maxInbox <= 0 {
		maxInbox = DefaultMaxInboxBytes
	}
	return &clientInbox{split: wire.Splitter{Max: maxPacket}, max: maxInbox, wake: make(chan struct{}, 1)}
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
		return
	}
	in.mu.Lock()
	pause := in.bytes > in.max && !in.paused
	in.paused = in.paused || pause
	in.mu.Unlock()
	if pause {
		_ = s.pipe.OnRead(nil)
	}
}

// handled counts items handled off the inbox; it reports whether reading,
// paused, should start again.
func (in *clientInbox) handled(items []inboxItem) (resume bool) {
	n := 0
	for _, it := range items {
		n += it.size()
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	in.bytes -= n
	if in.paused && in.bytes <= in.max/2 {
		in.paused = false
		return true
	}
	return false
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
	in.bytes += it.size()
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
// ends or the session is closed; onRead is the read callback it sets again
// when reading, paused, may go on.
func (s *clientSession) serveInbox(in *clientInbox, onRead func([]byte, error)) {
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
		if in.handled(items) {
			_ = s.pipe.OnRead(onRead)
		}
	}
}

// kill ends serveInbox once the session's pipe is closed: a closed pipe
// calls no read callback.
func (s *clientSession) kill() { s.killOnce.Do(func() { close(s.killed) }) }
