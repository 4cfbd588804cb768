//go:build cgo

package uv_test

import (
	"io"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/uv"
	"github.com/uvpipe/uvpipe/uv/uvtest"
)

// On Windows only a TCP socket moves between loops (a duplicate made with
// WSADuplicateSocketW, opened with uv_tcp_open): Detach of a named pipe or
// a UDP socket fails with ENOTSUP and leaves the handle as it was.
func TestWindowsDetachRefusesPipeAndUDP(t *testing.T) {
	l := uvtest.NewLoop(t)
	p, q := pipePair(t, l, false)
	_, err := p.Detach()
	assert.ErrorIs(t, err, syscall.ENOTSUP)
	_, err = p.Write([]byte("still here"))
	require.NoError(t, err)
	got := make([]byte, 10)
	_, err = io.ReadFull(q, got)
	require.NoError(t, err)
	assert.Equal(t, "still here", string(got))

	u, err := uv.NewUDP(l)
	require.NoError(t, err)
	defer u.Close()
	require.NoError(t, u.Bind(loopback))
	_, err = u.Detach()
	assert.ErrorIs(t, err, syscall.ENOTSUP)
}
