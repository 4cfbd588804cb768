package pipe

import (
	"context"
	"errors"
	"net"
	"sync"

	"github.com/uvpipe/uvpipe/uv"
)

// conns is a Server's count of its open connections, as bare-pipe's
// server keeps them to emit 'close' once the last one has closed: the pipes
// it accepted and that have not closed (or been detached) yet, and the
// accepts under way, which may still add one.
type conns struct {
	mu        sync.Mutex
	open      map[*Pipe]struct{} // under mu
	accepting int                // under mu: accepts that have not returned
	stopped   bool               // under mu: Close or Detach ran
	idle      chan struct{}      // closed once stopped with no connection and no accept left
}

func newConns() conns {
	return conns{open: map[*Pipe]struct{}{}, idle: make(chan struct{})}
}

// checkIdle closes idle once nothing can add or hold a connection; the
// caller holds mu.
func (c *conns) checkIdle() {
	if c.stopped && c.accepting == 0 && len(c.open) == 0 {
		select {
		case <-c.idle:
		default:
			close(c.idle)
		}
	}
}

func (c *conns) startAccept() {
	c.mu.Lock()
	c.accepting++
	c.mu.Unlock()
}

// endAccept ends an accept; p is the pipe it returns, or nil.
func (c *conns) endAccept(p *Pipe) {
	c.mu.Lock()
	c.accepting--
	if p != nil {
		c.open[p] = struct{}{}
	}
	c.checkIdle()
	c.mu.Unlock()
}

func (c *conns) stopListening() {
	c.mu.Lock()
	c.stopped = true
	c.checkIdle()
	c.mu.Unlock()
}

// forget removes a pipe that closed or was detached from its server's
// connections.
func (p *Pipe) forget() {
	if s := p.srv; s != nil {
		s.mu.Lock()
		delete(s.open, p)
		s.checkIdle()
		s.mu.Unlock()
	}
}

// Conns returns the number of connections the server accepted that have
// not been closed or detached yet.
func (s *Server) Conns() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.open)
}

// Listening reports whether the server is listening, as bare-pipe's
// server.listening: true from Listen (or Attach) until Close, Shutdown or
// Detach. A Server is never seen binding: Listen returns it listening or
// fails.
func (s *Server) Listening() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return !s.stopped
}

// Shutdown closes the server as Close does (at once: it stops listening and
// removes the socket file) and then waits until every connection it
// accepted has been closed or detached, as http.Server.Shutdown waits for
// its connections and as bare-pipe's server emits 'close' only after its
// last connection closed. It does not close the connections: the program
// ends them (a protocol's goodbye, CloseWrite, Close). It returns nil once
// the last one is closed, or ctx's error if ctx ends first (the server is
// closed either way). Calling it again waits again. It waits, so it is not
// for a handler of the server's loop.
func (s *Server) Shutdown(ctx context.Context) error {
	err := s.Close()
	select {
	case <-s.idle:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// OnConnection makes the server serve in bare-pipe's event style (its
// 'connection' event): each incoming connection is accepted in libuv's
// connection callback and given to fn, which runs there, under the loop
// lock, on whichever goroutine leads the loop. fn must not block: it sets
// the pipe's OnRead (and OnHandle) handlers, or hands the pipe to a
// goroutine. A failed accept calls fn with a nil pipe and the error. The
// pipes count as the server's connections (Shutdown waits for them).
// OnConnection(nil) stops; do not call Accept while a handler is set, since
// both take the same connections.
func (s *Server) OnConnection(fn func(p *Pipe, err error)) {
	if fn == nil {
		s.l.OnConnection(nil)
		return
	}
	s.l.OnConnection(func(err error) {
		if err != nil {
			fn(nil, &net.OpError{Op: "accept", Net: "unix", Addr: s.addr, Err: err})
			return
		}
		p, err := s.AcceptPipe()
		if errors.Is(err, uv.ErrWouldBlock) {
			return // taken by an Accept meanwhile
		}
		fn(p, err)
	})
}
