package pipe_test

import (
	"io"
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
