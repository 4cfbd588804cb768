package nodeipc

import (
	"sync"
	"time"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
	"github.com/uvpipe/uvpipe/pipe"
)

// The requests a Node sender makes about the sockets it sent with a key
// (connections accepted by its net.Server), and the answers.
const (
	cmdSocketNotifyClose = "NODE_SOCKET_NOTIFY_CLOSE"
	cmdSocketAllClosed   = "NODE_SOCKET_ALL_CLOSED"
	cmdSocketGetCount    = "NODE_SOCKET_GET_COUNT"
	cmdSocketCount       = "NODE_SOCKET_COUNT"
)

// socketPollInterval is how often the channel looks whether the sockets a
// waiting NODE_SOCKET_NOTIFY_CLOSE is about have all been closed.
const socketPollInterval = 10 * time.Millisecond

// socketList follows the connections received with a key, as Node's
// SocketListReceive does, so that the sender's server learns how many are
// still open here (its getConnections) and when the last one closed (its
// close). Node counts a socket until its 'close' event; here a socket counts
// until this process has closed it, however the program holds it (the
// Message.Handle, a net.Conn made from it, on Linux a dup): on Linux until
// no fd refers to its inode any more (/proc/self/fd), on Windows until its
// SOCKET no longer names that connection (socketref_*.go). Elsewhere
// received sockets are not followed and count as closed.
type socketList struct {
	mu      sync.Mutex
	held    map[string][]socketRef // key -> the sockets received with it
	notify  map[string][]any       // key -> the keys of NODE_SOCKET_NOTIFY_CLOSE requests waiting
	polling bool                   // the goroutine answering them runs
	wg      sync.WaitGroup         // that goroutine
}

// trackSocket follows a socket received with key.
func (c *Channel) trackSocket(key string, h *pipe.ReceivedHandle) {
	ref, ok := socketRefOf(h.Fd())
	if !ok {
		return
	}
	s := &c.sockets
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.held == nil {
		s.held = make(map[string][]socketRef)
	}
	s.held[key] = append(s.held[key], ref)
}

// openLocked returns how many sockets received with key are still open
// here, forgetting the others. Called with mu held.
func (s *socketList) openLocked(key string) int {
	refs := s.held[key]
	if len(refs) == 0 {
		return 0
	}
	open, ok := openSockets()
	if !ok {
		return 0
	}
	kept := refs[:0]
	for _, ref := range refs {
		if open(ref) {
			kept = append(kept, ref)
		}
	}
	if len(kept) == 0 {
		delete(s.held, key)
	} else {
		s.held[key] = kept
	}
	return len(kept)
}

// answerSocketList answers a Node server's request about the connections it
// sent with req's key: NODE_SOCKET_GET_COUNT at once with the count still
// open here, NODE_SOCKET_NOTIFY_CLOSE with NODE_SOCKET_ALL_CLOSED once that
// count is 0 (at once when it is already).
func (c *Channel) answerSocketList(cmd string, req *jsvalue.Object) {
	key, _ := req.Get("key")
	name, _ := key.(string)
	s := &c.sockets
	s.mu.Lock()
	n := s.openLocked(name)
	if cmd == cmdSocketGetCount {
		s.mu.Unlock()
		c.writeInternalMessage(jsvalue.NewObject("cmd", cmdSocketCount, "key", key, "count", n))
		return
	}
	if n == 0 {
		s.mu.Unlock()
		c.writeInternalMessage(jsvalue.NewObject("cmd", cmdSocketAllClosed, "key", key))
		return
	}
	if s.notify == nil {
		s.notify = make(map[string][]any)
	}
	s.notify[name] = append(s.notify[name], key)
	start := !s.polling
	s.polling = true
	if start {
		s.wg.Add(1)
	}
	s.mu.Unlock()
	if start {
		go c.pollSockets()
	}
}

// pollSockets answers the waiting NODE_SOCKET_NOTIFY_CLOSE requests as their
// sockets close, until none waits or the channel ends.
func (c *Channel) pollSockets() {
	s := &c.sockets
	defer s.wg.Done()
	t := time.NewTicker(socketPollInterval)
	defer t.Stop()
	for {
		select {
		case <-c.done:
			s.mu.Lock()
			s.polling = false
			s.mu.Unlock()
			return
		case <-t.C:
		}
		var answers []any
		s.mu.Lock()
		for name, keys := range s.notify {
			if s.openLocked(name) == 0 {
				answers = append(answers, keys...)
				delete(s.notify, name)
			}
		}
		idle := len(s.notify) == 0
		if idle {
			s.polling = false
		}
		s.mu.Unlock()
		for _, key := range answers {
			c.writeInternalMessage(jsvalue.NewObject("cmd", cmdSocketAllClosed, "key", key))
		}
		if idle {
			return
		}
	}
}
