package pipe

import (
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/uvpipe/uvpipe/uv"
)

// Pipe is a duplex pipe over a unix socket or an OS pipe end, driven by
// libuv: a net.Conn.
type Pipe struct {
	p   *uv.Pipe
	cfg Config

	addrOnce     sync.Once
	laddr, raddr *net.UnixAddr
	endOnce      sync.Once

	srv  *Server // the server that accepted the pipe, told when it closes
	name string  // the name Dial connected to (a Windows pipe's address)

	// The fd's access mode: an OS pipe's read end is not writable, its
	// write end not readable (both false for a socket).
	readOnly, writeOnly bool
	readEnded           atomic.Bool // Read returned io.EOF
	writeEnded          atomic.Bool // the writing side was shut down
	closed              atomic.Bool // Close or Detach
}

func wrap(p *uv.Pipe, cfg Config) *Pipe { return &Pipe{p: p, cfg: cfg} }

// UV returns the uv pipe handle underneath, for what this package does not
// cover.
func (p *Pipe) UV() *uv.Pipe { return p.p }

// IPCHandle makes a Pipe uv.IPCAcceptable: it can be sent over an IPC pipe,
// and a received pipe handle can be accepted into it.
func (p *Pipe) IPCHandle() *uv.Handle { return p.p.IPCHandle() }

// IPC reports whether the pipe can carry handles.
func (p *Pipe) IPC() bool { return p.p.IPC() }

// Read reads data, at most the read buffer's size (Config.ReadBufferSize)
// at a time. It returns io.EOF once the peer has ended its side, and at once
// on the write end of an OS pipe, which has nothing to read (as bare-pipe,
// which ends the readable side of a write-only fd when it opens it).
func (p *Pipe) Read(b []byte) (int, error) {
	if p.writeOnly && !p.closed.Load() {
		return 0, p.readErr(io.EOF)
	}
	n, err := p.p.Read(p.chunk(b))
	if err != nil {
		err = p.readErr(err)
	}
	return n, err
}

// chunk bounds b by the read buffer's size, bare-pipe's chunk size: libuv
// reads into a buffer of that size, and several such reads may wait in the
// stream's buffer by the time Read looks (libuv for Windows goes on reading
// after a Read's own buffer filled), so without the bound one Read would
// return them together.
func (p *Pipe) chunk(b []byte) []byte {
	size := p.cfg.ReadBufferSize
	if size == 0 {
		size = uv.DefaultReadBufferSize
	}
	return b[:min(len(b), size)]
}

// readErr ends the writing side on EOF when half-open is not allowed, and
// wraps errors as the net package does.
func (p *Pipe) readErr(err error) error {
	if err == io.EOF {
		p.readEnded.Store(true)
		if p.cfg.NoHalfOpen {
			p.endOnce.Do(func() {
				if p.p.CloseWrite() == nil {
					p.writeEnded.Store(true)
				}
			})
		}
		return err
	}
	return p.opError("read", err)
}

// Write writes b, returning once all of it is written or it failed.
func (p *Pipe) Write(b []byte) (int, error) {
	n, err := p.p.Write(b)
	if err != nil {
		err = p.opError("write", err)
	}
	return n, err
}

// Close closes the pipe. Reads and writes blocked on it return
// net.ErrClosed. Closing twice does nothing. A pipe a Server accepted stops
// counting as one of its connections (see Server.Shutdown).
func (p *Pipe) Close() error {
	p.closed.Store(true)
	err := p.p.Close()
	p.forget()
	if err != nil {
		return p.opError("close", err)
	}
	return nil
}

// CloseWrite shuts down the writing side once what is queued is written:
// the peer reads io.EOF, this side can go on reading.
//
// On Windows a named pipe has no half close. CloseWrite returns once the
// peer has read what was written, and tells it nothing: libuv (as for Node
// there) closes the whole pipe once this side reads and nothing has come for
// a short while (its EOF timer), and this side then reads io.EOF; the peer
// reads io.EOF only then, and what it writes after that is lost. A protocol
// that answers the end of a request has to mark that end in its data there.
func (p *Pipe) CloseWrite() error {
	if err := p.p.CloseWrite(); err != nil {
		return p.opError("close", err)
	}
	p.writeEnded.Store(true)
	return nil
}

// LocalAddr returns the local socket's address (unnamed for a socket pair or
// an OS pipe).
func (p *Pipe) LocalAddr() net.Addr { p.addrs(); return p.laddr }

// RemoteAddr returns the peer socket's address.
func (p *Pipe) RemoteAddr() net.Addr { p.addrs(); return p.raddr }

func (p *Pipe) addrs() {
	p.addrOnce.Do(func() { p.laddr, p.raddr = p.sockAddrs() })
}

// SetDeadline sets the read and write deadlines, as net.Conn.
func (p *Pipe) SetDeadline(t time.Time) error { return p.p.SetDeadline(t) }

// SetReadDeadline sets the read deadline, as net.Conn.
func (p *Pipe) SetReadDeadline(t time.Time) error { return p.p.SetReadDeadline(t) }

// SetWriteDeadline sets the write deadline, as net.Conn.
func (p *Pipe) SetWriteDeadline(t time.Time) error { return p.p.SetWriteDeadline(t) }

// Ref makes the pipe keep its loop alive (the default).
func (p *Pipe) Ref() { p.p.Ref() }

// Unref makes the pipe stop keeping its loop alive.
func (p *Pipe) Unref() { p.p.Unref() }

// OnRead switches the pipe to the event style, as uv.Stream.OnRead: fn runs
// inside libuv's read callback with each read's bytes (valid during the call
// only), and may write its reply there; Read is unavailable while it is set.
// On the write end of an OS pipe fn gets io.EOF at once, on the loop.
func (p *Pipe) OnRead(fn func(data []byte, err error)) error {
	if fn == nil {
		return p.p.OnRead(nil)
	}
	if p.writeOnly {
		// Nothing to read (libuv would refuse to start): the handler gets
		// the end at once, on the loop, as bare-pipe emits 'end'.
		return p.p.Loop().Post(func() {
			if !p.closed.Load() {
				p.readErr(io.EOF)
				fn(nil, io.EOF)
			}
		})
	}
	return p.p.OnRead(func(data []byte, err error) {
		if err == io.EOF {
			p.readEnded.Store(true)
		}
		fn(data, err)
	})
}

// opError wraps err as the net package does: *net.OpError around it.
func (p *Pipe) opError(op string, err error) error {
	var oe *net.OpError
	if errors.As(err, &oe) || err == io.EOF {
		return err
	}
	p.addrs()
	return &net.OpError{Op: op, Net: "unix", Source: p.laddr, Addr: p.raddr, Err: err}
}
