//go:build cgo && !windows

package uv_test

import (
	"bytes"
	"io"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/uvpipe/uvpipe/uv"
)

// pipePair is two connected pipes on loop l: the ends of a unix socket
// pair (made with ipc for an IPC pair). Windows has its own
// (pair_windows_test.go).
func pipePair(t testing.TB, l *uv.Loop, ipc bool) (*uv.Pipe, *uv.Pipe) {
	t.Helper()
	return pipePairLoops(t, l, l, ipc)
}

// pipePairLoops is pipePair with the first end on loop la, the second on lb.
func pipePairLoops(t testing.TB, la, lb *uv.Loop, ipc bool) (*uv.Pipe, *uv.Pipe) {
	t.Helper()
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	require.NoError(t, err)
	a, b := openPipe(t, la, fds[0], ipc), openPipe(t, lb, fds[1], ipc)
	return a, b
}

// connectPipes is pipePairLoops for code without a testing.TB: the ends
// close with their loops, or by the caller.
func connectPipes(la, lb *uv.Loop, ipc bool) (*uv.Pipe, *uv.Pipe, error) {
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, nil, err
	}
	open := func(l *uv.Loop, fd int) (*uv.Pipe, error) {
		p, err := uv.NewPipe(l, ipc, 0)
		if err != nil {
			unix.Close(fd)
			return nil, err
		}
		if err := p.Open(fd); err != nil {
			unix.Close(fd)
			p.Close()
			return nil, err
		}
		return p, nil
	}
	a, err := open(la, fds[0])
	if err != nil {
		unix.Close(fds[1])
		return nil, nil, err
	}
	b, err := open(lb, fds[1])
	if err != nil {
		a.Close()
		return nil, nil, err
	}
	return a, b, nil
}

func openPipe(t testing.TB, l *uv.Loop, fd int, ipc bool) *uv.Pipe {
	t.Helper()
	p, err := uv.NewPipe(l, ipc, 0)
	require.NoError(t, err)
	require.NoError(t, p.Open(fd))
	t.Cleanup(func() { p.Close() })
	return p
}

// noPipeHalfClose is for tests that need a pipe's half close, which Windows'
// named pipes lack (pair_windows_test.go): unix socket pairs have it.
func noPipeHalfClose(testing.TB) {}

// pipesHalfClose tells whether a test pipe can go on reading after its
// write side ended: a unix socket pair can.
const pipesHalfClose = true

// endWrite ends p's write side once what was written went out: the peer
// reads EOF after it (a half close).
func endWrite(p *uv.Pipe) error { return p.CloseWrite() }

// passable is a handle that an IPC test pipe can send, and the type it
// arrives as: on unix, one end of a pipe pair on l.
func passable(t *testing.T, l *uv.Loop) (uv.IPCAcceptable, uv.HandleType) {
	t.Helper()
	p, _ := pipePair(t, l, false)
	return p, uv.NamedPipe
}

// passableFD is an fd that WriteFD can send, and its type: one end of a
// unix socket pair (both ends close with the test).
func passableFD(t testing.TB) (int, uv.HandleType) {
	t.Helper()
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	require.NoError(t, err)
	t.Cleanup(func() { unix.Close(fds[0]); unix.Close(fds[1]) })
	return fds[0], uv.NamedPipe
}

// listenPath is a fresh path for a pipe server to bind, and how to clean
// it up: a socket file in a new temporary directory.
func listenPath() (string, func(), error) {
	dir, err := os.MkdirTemp("", "uvtest")
	if err != nil {
		return "", nil, err
	}
	return dir + "/s", func() { os.RemoveAll(dir) }, nil
}

// dialPath connects to the pipe server at path without package uv: a plain
// unix socket.
func dialPath(path string) (io.Closer, error) {
	fd, err := unix.Socket(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	f := os.NewFile(uintptr(fd), path)
	if err := unix.Connect(fd, &unix.SockaddrUnix{Name: path}); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// assertClosedWriteCounted checks what the peer read (all) of a Write of p
// that a close interrupted after it returned n: exactly p[:n].
func assertClosedWriteCounted(t *testing.T, p []byte, n int, all []byte) {
	t.Helper()
	assert.Equal(t, n, len(all), "n is what arrived")
	assert.True(t, bytes.Equal(p[:min(n, len(p))], all), "what arrived is p[:n]")
}
