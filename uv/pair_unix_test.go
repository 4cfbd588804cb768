//go:build cgo && !windows

package uv_test

import (
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/uvpipe/uvpipe/uv"
)

// pipePair is two connected pipes on loop l: the ends of a unix socket
// pair (made with ipc for an IPC pair). Windows has its own
// (pair_windows_test.go).
func pipePair(t testing.TB, l *uv.Loop, ipc bool) (*uv.Pipe, *uv.Pipe) {
	t.Helper()
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	require.NoError(t, err)
	a, b := openPipe(t, l, fds[0], ipc), openPipe(t, l, fds[1], ipc)
	return a, b
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
