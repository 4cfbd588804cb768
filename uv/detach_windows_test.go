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

// On Windows an IPC pipe, a pipe server, a TCP listener and a UDP socket
// do not move between loops: Detach fails with ErrNotMovable (and ENOTSUP)
// and leaves each as it was.
func TestWindowsDetachRefusesWhatCannotMove(t *testing.T) {
	l := uvtest.NewLoop(t)
	refused := func(what string, d *uv.Detached, err error) {
		t.Helper()
		assert.Nil(t, d, what)
		assert.ErrorIs(t, err, uv.ErrNotMovable, what)
		assert.ErrorIs(t, err, syscall.ENOTSUP, what)
	}

	p, q := pipePair(t, l, true)
	d, err := p.Detach()
	refused("an IPC pipe", d, err)
	_, err = p.Write([]byte("still here"))
	require.NoError(t, err)
	got := make([]byte, 10)
	_, err = io.ReadFull(q, got)
	require.NoError(t, err)
	assert.Equal(t, "still here", string(got))

	name := pipeName()
	srv, err := uv.NewPipe(l, false, 0)
	require.NoError(t, err)
	defer srv.Close()
	require.NoError(t, srv.Bind(name))
	require.NoError(t, srv.Listen(1))
	d, err = srv.Detach()
	refused("a pipe server", d, err)
	accepted := make(chan error, 1)
	go func() {
		c, err := srv.Accept(false, 0)
		if err == nil {
			c.Close()
		}
		accepted <- err
	}()
	c, err := dialPath(name)
	require.NoError(t, err, "the server still listens")
	require.NoError(t, <-accepted)
	c.Close()

	tl := listener(t, l)
	d, err = tl.Detach()
	refused("a TCP listener", d, err)

	u, err := uv.NewUDP(l)
	require.NoError(t, err)
	defer u.Close()
	require.NoError(t, u.Bind(loopback))
	d, err = u.Detach()
	refused("a UDP socket", d, err)
}
