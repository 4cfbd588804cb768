//go:build !windows

package pipe_test

import (
	"context"
	"io"
	"net"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/pipe"
	"github.com/uvpipe/uvpipe/uv/uvtest"
)

func TestDetachMovesPipeToAnotherLoop(t *testing.T) {
	l := uvtest.NewLoop(t)
	a, b, err := pipe.Config{NoHalfOpen: true}.SocketPair()
	require.NoError(t, err)
	defer a.Close()
	_, err = a.Write([]byte("abcdef"))
	require.NoError(t, err)
	buf := make([]byte, 2)
	_, err = io.ReadFull(b, buf)
	require.NoError(t, err)
	d, err := b.Detach()
	require.NoError(t, err)
	moved, err := d.Attach(l)
	require.NoError(t, err)
	defer moved.Close()
	assert.Same(t, l, moved.UV().Loop())
	require.NoError(t, a.CloseWrite())
	rest, err := io.ReadAll(moved)
	require.NoError(t, err)
	assert.Equal(t, "cdef", string(rest))
	// NoHalfOpen moved too: the moved pipe ended its side on EOF.
	n, err := a.Read(buf)
	assert.Equal(t, 0, n)
	assert.ErrorIs(t, err, io.EOF)
	_, err = b.Read(buf)
	assert.Error(t, err, "the old pipe is closed")
}

// A server moves to another loop: it goes on accepting (the pipes live on
// the new loop), a client that connected meanwhile is served, and closing
// it removes the socket file.
func TestDetachMovesServerToAnotherLoop(t *testing.T) {
	l := uvtest.NewLoop(t)
	path := sockPath(t)
	srv, err := pipe.Listen(path)
	require.NoError(t, err)
	defer srv.Close()
	d, err := srv.Detach()
	require.NoError(t, err)
	c, err := pipe.Dial(context.Background(), path) // queues in the backlog
	require.NoError(t, err)
	defer c.Close()
	moved, err := d.Attach(l)
	require.NoError(t, err)
	assert.Equal(t, srv.Addr(), moved.Addr())
	_, err = srv.Accept()
	assert.ErrorIs(t, err, net.ErrClosed)
	p, err := moved.AcceptPipe()
	require.NoError(t, err)
	defer p.Close()
	assert.Same(t, l, p.UV().Loop())
	_, err = c.Write([]byte("hi"))
	require.NoError(t, err)
	buf := make([]byte, 2)
	_, err = io.ReadFull(p, buf)
	require.NoError(t, err)
	assert.Equal(t, "hi", string(buf))
	require.NoError(t, moved.Close())
	_, err = os.Stat(path)
	assert.ErrorIs(t, err, os.ErrNotExist)
}
