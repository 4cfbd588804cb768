//go:build !windows

package pipe_test

import (
	"io"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/pipe"
	"github.com/uvpipe/uvpipe/uv"
)

// A plain Read that passes over handles keeps only the last
// uv.MaxUnclaimedHandles of them for a later ReadHandles and closes the
// older ones: a peer cannot fill the fd table through io.Copy.
func TestPlainReadCapsUnclaimedHandles(t *testing.T) {
	a, b, ln := ipcPairAndListener(t)

	const sent = 3 * uv.MaxUnclaimedHandles
	go func() {
		for range sent {
			if _, err := a.WriteHandle([]byte("x"), ln); err != nil {
				return
			}
		}
		a.Write([]byte("y"))
	}()
	_, err := io.ReadFull(b, make([]byte, sent)) // a plain Read: the handles are passed over
	require.NoError(t, err)
	var got int
	for n := 0; n == 0; { // until the "y": the handles kept may come first, alone
		var hs []*pipe.ReceivedHandle
		n, hs, err = b.ReadHandles(make([]byte, 1))
		require.NoError(t, err)
		for _, h := range hs {
			require.NoError(t, h.Close())
		}
		got += len(hs)
	}
	require.Equal(t, uv.MaxUnclaimedHandles, got)
}
