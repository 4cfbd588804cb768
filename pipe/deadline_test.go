package pipe_test

import (
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/pipe"
)

// A deadline moved into the past by another goroutine ends a Read that is
// blocked already (net.Conn's contract; on Windows the reader leads the loop
// inside libuv and has to be woken for it).
func TestPastDeadlineEndsBlockedRead(t *testing.T) {
	for _, cfg := range []pipe.Config{{}, {IPC: true}} {
		a, b, err := cfg.SocketPair()
		require.NoError(t, err)
		started := make(chan struct{})
		done := make(chan error, 1)
		go func() {
			close(started)
			_, err := a.Read(make([]byte, 16))
			done <- err
		}()
		<-started
		// Whether or not the Read is blocked yet, the deadline must end it.
		require.NoError(t, a.SetReadDeadline(time.Unix(1, 0)))
		select {
		case err := <-done:
			require.ErrorIs(t, err, os.ErrDeadlineExceeded)
		case <-time.After(30 * time.Second):
			a.Close()
			<-done
			t.Fatal("the Read stayed blocked after its deadline passed")
		}
		a.Close()
		b.Close()
	}
}
