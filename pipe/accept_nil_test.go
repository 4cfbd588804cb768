package pipe_test

import (
	"net"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/pipe"
)

// A failed Accept returns a nil net.Conn, as Go's listeners do, not an
// interface holding a nil *pipe.Pipe: a caller's `if c != nil { c.Close() }`
// must not run.
func TestServerAcceptErrorReturnsNilConn(t *testing.T) {
	srv, err := pipe.Listen(sockPath(t))
	require.NoError(t, err)
	require.NoError(t, srv.Close())
	var ln net.Listener = srv
	c, err := ln.Accept()
	require.ErrorIs(t, err, net.ErrClosed)
	require.True(t, c == nil, "Accept returned a non-nil net.Conn (%T) with its error", c)
}
