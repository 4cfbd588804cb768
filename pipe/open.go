package pipe

import (
	"context"
	"net"
	"os"
	"syscall"

	"github.com/uvpipe/uvpipe/uv"
)

// Open makes a pipe over fd, an open unix socket or OS pipe end (stdin,
// stdout, an inherited socket), with the zero Config. The pipe owns fd now.
func Open(fd int) (*Pipe, error) { return Config{}.Open(fd) }

// Open makes a pipe over fd as configured. The pipe owns fd now (and sets
// it non-blocking). A read-only end (an OS pipe's read end) cannot be
// written: Write fails with EPIPE. A write-only end has nothing to read:
// Read returns io.EOF at once, as bare-pipe ends the readable side of such
// an fd when it opens it. An fd that is not a socket or a pipe is EINVAL, a closed
// one EBADF; on error fd is left open. On Windows fd is a C runtime fd (as
// libuv's uv_pipe_open takes it, and as a child inherits NODE_CHANNEL_FD)
// over a named or anonymous pipe.
func (c Config) Open(fd int) (*Pipe, error) {
	acc, err := fdAccess(fd)
	if err != nil {
		return nil, openError(err)
	}
	if t := uv.GuessHandle(fd); t != uv.NamedPipe {
		return nil, openError(os.NewSyscallError("open", syscall.EINVAL))
	}
	p, err := c.newPipe()
	if err != nil {
		return nil, openError(err)
	}
	if err := p.Open(fd); err != nil {
		p.Close()
		return nil, openError(err)
	}
	w := wrap(p, c)
	w.readOnly = acc == accessRead
	w.writeOnly = acc == accessWrite
	return w, nil
}

func openError(err error) error { return &net.OpError{Op: "open", Net: "unix", Err: err} }

// Dial connects to the unix socket at path with the zero Config.
func Dial(ctx context.Context, path string) (*Pipe, error) { return Config{}.Dial(ctx, path) }

// Dial connects to the unix socket at path. Cancelling ctx abandons the
// attempt. On Windows path names a named pipe by PipeName's rule (the one
// @isdk/ipc-server and net-ipc use).
func (c Config) Dial(ctx context.Context, path string) (*Pipe, error) {
	path = dialName(path)
	addr := &net.UnixAddr{Name: path, Net: "unix"}
	p, err := c.newPipe()
	if err != nil {
		return nil, &net.OpError{Op: "dial", Net: "unix", Addr: addr, Err: err}
	}
	if err := p.Connect(ctx, path); err != nil {
		p.Close()
		return nil, &net.OpError{Op: "dial", Net: "unix", Addr: addr, Err: err}
	}
	w := wrap(p, c)
	w.name = path
	return w, nil
}

// SocketPair returns the two ends of a connected unix socket pair (on
// Windows, of a named pipe made for them), as IPC pipes that can carry
// handles, on the default loop.
func SocketPair() (*Pipe, *Pipe, error) { return Config{IPC: true}.SocketPair() }

// OSPipe returns the read end and the write end of a one-way OS pipe (bare-
// pipe's Pipe.pipe()), on the default loop. It cannot carry handles.
func OSPipe() (r, w *Pipe, err error) { return Config{}.OSPipe() }

// OSPipe returns the read end and the write end of a one-way OS pipe. IPC is
// ignored: an OS pipe cannot carry handles. Each end's fd is its Fd.
func (c Config) OSPipe() (r, w *Pipe, err error) {
	rfd, wfd, err := OSPipeFDs()
	if err != nil {
		return nil, nil, err
	}
	c.IPC = false
	return c.openPair(rfd, wfd)
}

// openPair opens both fds as pipes, closing both on failure.
func (c Config) openPair(fd0, fd1 int) (*Pipe, *Pipe, error) {
	a, err := c.Open(fd0)
	if err != nil {
		closeFD(fd0)
		closeFD(fd1)
		return nil, nil, err
	}
	b, err := c.Open(fd1)
	if err != nil {
		a.Close()
		closeFD(fd1)
		return nil, nil, err
	}
	return a, b, nil
}

// access is what an fd allows: reading, writing or both.
type access uint8

const (
	accessReadWrite access = iota
	accessRead
	accessWrite
)
