package pipe

// ReadyState is what a Pipe can still do, as bare-pipe's readyState.
type ReadyState int

// The ready states. bare-pipe's "opening" has no Go counterpart: Dial and
// Open return a pipe that is already connected (or an error), so a Pipe is
// never seen connecting, and bare-pipe's connecting and pending are false
// for every Pipe a program holds.
const (
	// StateOpen: the pipe can be read and written.
	StateOpen ReadyState = iota
	// StateReadOnly: the writing side was shut down (CloseWrite, or NoHalfOpen
	// after the peer's end), or the fd is an OS pipe's read end.
	StateReadOnly
	// StateWriteOnly: Read returned io.EOF, or the fd is an OS pipe's write end.
	StateWriteOnly
	// StateClosed: the pipe was closed or detached, or both sides have ended.
	StateClosed
)

// String returns bare-pipe's name of the state: "open", "readOnly",
// "writeOnly" or "closed".
func (s ReadyState) String() string {
	switch s {
	case StateOpen:
		return "open"
	case StateReadOnly:
		return "readOnly"
	case StateWriteOnly:
		return "writeOnly"
	}
	return "closed"
}

// ReadyState reports what the pipe can still do, as bare-pipe's readyState:
// whether its reading side has not yet returned io.EOF and its writing side
// has not been shut down, as this side knows it (a peer that has ended
// shows only once Read returns io.EOF).
func (p *Pipe) ReadyState() ReadyState {
	if p.closed.Load() {
		return StateClosed
	}
	readable := !p.writeOnly && !p.readEnded.Load()
	writable := !p.readOnly && !p.writeEnded.Load()
	switch {
	case readable && writable:
		return StateOpen
	case readable:
		return StateReadOnly
	case writable:
		return StateWriteOnly
	}
	return StateClosed
}

// Fd returns the fd the pipe uses, owned by the pipe (File gives a
// duplicate the caller owns), or -1 once it is closed.
func (p *Pipe) Fd() int { return p.p.Fd() }
