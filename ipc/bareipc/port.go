//go:build !windows

package bareipc

import (
	"errors"
	"fmt"
	"os"
	"sync"

	"golang.org/x/sys/unix"

	"github.com/uvpipe/uvpipe/pipe"
)

// ErrDetached is returned by a Port that was already connected or handed
// on: a port is used once, as bare-ipc's IPCPort.
var ErrDetached = errors.New("bareipc: the port was already connected or handed on")

// Port is one end of a port pair, as bare-ipc's IPCPort: an incoming and an
// outgoing one-way OS pipe, held as fds until the port is connected (Connect)
// or handed on (to a child process, over an IPC pipe, or with Detach).
type Port struct {
	mu      sync.Mutex
	in, out int // fds; -1 once detached
}

// Open returns two connected ports, as bare-ipc's IPC.open(): what one
// writes, the other reads. Each is made of two one-way OS pipes, so no
// handles can travel over them.
func Open() (*Port, *Port, error) {
	var a, b [2]int // a: first port's incoming; b: second port's incoming
	if err := unix.Pipe2(a[:], unix.O_CLOEXEC); err != nil {
		return nil, nil, os.NewSyscallError("pipe2", err)
	}
	if err := unix.Pipe2(b[:], unix.O_CLOEXEC); err != nil {
		unix.Close(a[0])
		unix.Close(a[1])
		return nil, nil, os.NewSyscallError("pipe2", err)
	}
	return &Port{in: a[0], out: b[1]}, &Port{in: b[0], out: a[1]}, nil
}

// FromFDs makes a port of two open fds: the read end of its incoming
// pipe and the write end of its outgoing one (what Detach returns, or what a
// parent handed on). The port owns them.
func FromFDs(in, out int) *Port { return &Port{in: in, out: out} }

// Incoming returns the fd of the read end of the port's incoming pipe, as
// bare-ipc's port.incoming, without using the port up; the port still owns
// it. It is -1 once the port was used.
func (p *Port) Incoming() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.in
}

// Outgoing returns the fd of the write end of the port's outgoing pipe, as
// bare-ipc's port.outgoing, without using the port up; the port still owns
// it. It is -1 once the port was used.
func (p *Port) Outgoing() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out
}

// Detached reports whether the port was used (connected, handed on or
// detached), as bare-ipc's port.detached.
func (p *Port) Detached() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.in < 0
}

// Detach hands the port's fds over (bare's transfer protocol): the port is
// used up, the caller owns the fds.
func (p *Port) Detach() (in, out int, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.in < 0 {
		return -1, -1, ErrDetached
	}
	in, out = p.in, p.out
	p.in, p.out = -1, -1
	return in, out, nil
}

// Close closes a port that was never connected or handed on. Closing a
// detached port does nothing.
func (p *Port) Close() error {
	in, out, err := p.Detach()
	if err != nil {
		return nil
	}
	return errors.Join(closeErr(in), closeErr(out))
}

func closeErr(fd int) error { return os.NewSyscallError("close", unix.Close(fd)) }

// Connect turns the port into a duplex stream, as bare-ipc's
// port.connect(), and uses the port up. cfg configures both pipes (its IPC
// is ignored: OS pipes cannot carry handles).
func (p *Port) Connect(cfg pipe.Config) (*Stream, error) {
	in, out, err := p.Detach()
	if err != nil {
		return nil, err
	}
	cfg.IPC = false
	r, err := cfg.Open(in)
	if err != nil {
		unix.Close(in)
		unix.Close(out)
		return nil, fmt.Errorf("bareipc: port: %w", err)
	}
	w, err := cfg.Open(out)
	if err != nil {
		r.Close()
		unix.Close(out)
		return nil, fmt.Errorf("bareipc: port: %w", err)
	}
	return &Stream{in: r, out: w}, nil
}
