package pipe

import (
	"context"
	"net"
	"os"
	"syscall"

	"golang.org/x/sys/unix"

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
// one EBADF; on error fd is left open.
func (c Config) Open(fd int) (*Pipe, error) {
	fl, err := unix.FcntlInt(uintptr(fd), unix.F_GETFL, 0)
	if err != nil {
		return nil, openError(os.NewSyscallError("fcntl", err))
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
	w.readOnly = fl&unix.O_ACCMODE == unix.O_RDONLY
	w.writeOnly = fl&unix.O_ACCMODE == unix.O_WRONLY
	return w, nil
}

func openError(err error) error { return &net.OpError{Op: "open", Net: "unix", Err: err} }

// Dial connects to the unix socket at path with the zero Config.
func Dial(ctx context.Context, path string) (*Pipe, error) { return Config{}.Dial(ctx, path) }

// Dial connects to the unix socket at path. Cancelling ctx abandons the
// attempt.
func (c Config) Dial(ctx context.Context, path string) (*Pipe, error) {
	addr := &net.UnixAddr{Name: path, Net: "unix"}
	p, err := c.newPipe()
	if err != nil {
		return nil, &net.OpError{Op: "dial", Net: "unix", Addr: addr, Err: err}
	}
	if err := p.Connect(ctx, path); err != nil {
		p.Close()
		return nil, &net.OpError{Op: "dial", Net: "unix", Addr: addr, Err: err}
	}
	return wrap(p, c), nil
}

// SocketPair returns the two ends of a connected unix socket pair, as IPC
// pipes that can carry handles, on the default loop.
func SocketPair() (*Pipe, *Pipe, error) { return Config{IPC: true}.SocketPair() }

// SocketPair returns the two ends of a connected unix socket pair, made as
// configured (set IPC for pipes that carry handles).
func (c Config) SocketPair() (*Pipe, *Pipe, error) {
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, nil, openError(os.NewSyscallError("socketpair", err))
	}
	return c.openPair(fds[0], fds[1])
}

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

// OSPipeFDs returns the fds of a new one-way OS pipe, its read end and its
// write end, exactly as bare-pipe's Pipe.pipe() returns them: open,
// close-on-exec, still blocking, owned by the caller, to hand to a child
// process (exec.Cmd.ExtraFiles) or to open later with Open.
func OSPipeFDs() (r, w int, err error) {
	var fds [2]int
	if err := unix.Pipe2(fds[:], unix.O_CLOEXEC); err != nil {
		return -1, -1, openError(os.NewSyscallError("pipe2", err))
	}
	return fds[0], fds[1], nil
}

// openPair opens both fds as pipes, closing both on failure.
func (c Config) openPair(fd0, fd1 int) (*Pipe, *Pipe, error) {
	a, err := c.Open(fd0)
	if err != nil {
		unix.Close(fd0)
		unix.Close(fd1)
		return nil, nil, err
	}
	b, err := c.Open(fd1)
	if err != nil {
		a.Close()
		unix.Close(fd1)
		return nil, nil, err
	}
	return a, b, nil
}
