//go:build !windows

package pipe_test

import (
	"net"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/pipe"
)

// A received connection is refused by ReceivedHandle.Listener with
// ErrNotListening (it became a listener that failed in Accept with EINVAL),
// and the handle is kept: Conn still works.
func TestListenerRefusesAConnection(t *testing.T) {
	a, b, ln := ipcPairAndListener(t)
	c, err := net.Dial("tcp", ln.Addr().String())
	require.NoError(t, err)
	defer c.Close()
	_, err = a.WriteHandle([]byte("C"), c)
	require.NoError(t, err)
	buf := make([]byte, 1)
	_, hs, err := b.ReadHandles(buf)
	require.NoError(t, err)
	require.Len(t, hs, 1)
	defer hs[0].Close()

	l, err := hs[0].Listener()
	if l != nil {
		l.Close()
	}
	require.ErrorIs(t, err, pipe.ErrNotListening)
	conn, err := hs[0].Conn()
	require.NoError(t, err)
	require.NoError(t, conn.Close())
}
