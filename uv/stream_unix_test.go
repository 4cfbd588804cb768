//go:build cgo && !windows

package uv_test

import (
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/uvpipe/uvpipe/uv"
	"github.com/uvpipe/uvpipe/uv/uvtest"
)

// A write to a peer that has gone returns EPIPE, and the process lives: every
// thread that runs libuv is a Go thread, where SIGPIPE does not kill.
func TestWriteToGonePeerIsEPIPE(t *testing.T) {
	l := uvtest.NewLoop(t)
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	require.NoError(t, err)
	a := openPipe(t, l, fds[0], false)
	unix.Close(fds[1])
	_, err = a.Write([]byte("anyone?"))
	require.Error(t, err)
	assert.ErrorIs(t, err, syscall.EPIPE)
	assert.Equal(t, "EPIPE", uv.ErrName(err))

	// The same from a write queued inside a handler and failing later on
	// whichever goroutine leads.
	fds, err = unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	require.NoError(t, err)
	c := openPipe(t, l, fds[0], false)
	peer := os.NewFile(uintptr(fds[1]), "peer")
	l.Do(func() { c.Write(make([]byte, 8<<20)) }) // fills the socket, queues the rest
	peer.Close()
	require.Eventually(t, func() bool {
		_, err := c.Write([]byte("x"))
		return err != nil && (assert.ErrorIs(t, err, syscall.EPIPE) || true)
	}, 10*time.Second, time.Millisecond)
}
