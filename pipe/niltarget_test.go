//go:build !windows

package pipe_test

import (
	"net"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/pipe"
	"github.com/uvpipe/uvpipe/uv"
)

// ipcPairAndListener returns a connected pair of IPC pipes and a TCP
// listener to send over them, all closed when the test ends.
func ipcPairAndListener(t *testing.T) (*pipe.Pipe, *pipe.Pipe, net.Listener) {
	t.Helper()
	a, b, err := pipe.Config{IPC: true}.SocketPair()
	require.NoError(t, err)
	t.Cleanup(func() { a.Close(); b.Close() })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { ln.Close() })
	return a, b, ln
}

// noHandle is a user type whose IPCHandle has nothing to give.
type noHandle struct{}

func (noHandle) IPCHandle() *uv.Handle { return nil }

// A target or a handle to send whose IPCHandle is nil is refused with
// uv.ErrInvalidIPCTarget (bare-pipe throws INVALID_IPC_TARGET), not a panic,
// and a handle pending on the pipe stays pending.
func TestNilIPCHandleIsAnError(t *testing.T) {
	a, b, ln := ipcPairAndListener(t)
	_, err := a.WriteHandle([]byte("x"), noHandle{})
	require.ErrorIs(t, err, uv.ErrInvalidIPCTarget)

	_, err = a.WriteHandle([]byte("L"), ln)
	require.NoError(t, err)
	buf := make([]byte, 1)
	_, err = b.Read(buf)
	require.NoError(t, err)
	err = b.AcceptHandle(noHandle{})
	require.ErrorIs(t, err, uv.ErrInvalidIPCTarget)
}
