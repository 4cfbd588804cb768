//go:build cgo

package uv_test

import (
	"context"
	"io"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/uv"
	"github.com/uvpipe/uvpipe/uv/uvtest"
)

// tcpPair returns a connected client (dialed on cl) and server-side handle
// (accepted on sl).
func tcpPair(t *testing.T, sl, cl *uv.Loop) (client, server *uv.TCP) {
	t.Helper()
	srv, err := uv.NewTCP(sl)
	require.NoError(t, err)
	defer srv.Close()
	require.NoError(t, srv.Bind(loopback))
	require.NoError(t, srv.Listen(0))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	client, err = uv.DialTCP(ctx, cl, srv.LocalAddr())
	require.NoError(t, err)
	server, err = srv.Accept()
	require.NoError(t, err)
	return client, server
}

// readN reads exactly n bytes with small Reads (so that libuv reads into the
// handle's own buffer, and bytes wait there).
func readN(t *testing.T, r io.Reader, n int) string {
	t.Helper()
	out := make([]byte, 0, n)
	b := make([]byte, 3)
	for len(out) < n {
		k, err := r.Read(b[:min(len(b), n-len(out))])
		require.NoError(t, err)
		out = append(out, b[:k]...)
	}
	return string(out)
}

func TestDetachTCPMovesBufferedBytesToAnotherLoop(t *testing.T) {
	a, b := uvtest.NewLoop(t), uvtest.NewLoop(t)
	client, server := tcpPair(t, a, a)
	defer client.Close()
	_, err := client.Write([]byte("hello, world"))
	require.NoError(t, err)
	assert.Equal(t, "hel", readN(t, server, 3)) // the rest may wait in the handle
	before := a.HandleCount()

	d, err := server.Detach()
	require.NoError(t, err)
	assert.Equal(t, uv.TCPHandle, d.Type())
	assert.Equal(t, before-1, a.HandleCount(), "the old handle closed")
	_, err = server.Read(make([]byte, 1))
	assert.ErrorIs(t, err, net.ErrClosed)

	h, err := d.Attach(b)
	require.NoError(t, err)
	moved := h.(*uv.TCP)
	defer moved.Close()
	assert.Same(t, b, moved.Loop())
	_, err = d.Attach(b)
	assert.Error(t, err, "a Detached attaches once")

	assert.Equal(t, "lo, world", readN(t, moved, 9))
	_, err = client.Write([]byte("more"))
	require.NoError(t, err)
	assert.Equal(t, "more", readN(t, moved, 4))
	_, err = moved.Write([]byte("back"))
	require.NoError(t, err)
	assert.Equal(t, "back", readN(t, client, 4))
	require.NoError(t, client.CloseWrite())
	_, err = moved.Read(make([]byte, 8))
	assert.ErrorIs(t, err, io.EOF)
}

func TestDetachTCPAfterEOFKeepsTheEnd(t *testing.T) {
	a, b := uvtest.NewLoop(t), uvtest.NewLoop(t)
	client, server := tcpPair(t, a, a)
	_, err := client.Write([]byte("bye!"))
	require.NoError(t, err)
	require.NoError(t, client.Close())
	assert.Equal(t, "b", readN(t, server, 1))
	d, err := server.Detach()
	require.NoError(t, err)
	h, err := d.Attach(b)
	require.NoError(t, err)
	defer h.IPCHandle().Close()
	got, err := io.ReadAll(h.(*uv.TCP))
	require.NoError(t, err)
	assert.Equal(t, "ye!", string(got))
}

func TestDetachRefusesClosedHandle(t *testing.T) {
	srv := listener(t, uvtest.NewLoop(t))
	require.NoError(t, srv.Close())
	_, err := srv.Detach()
	assert.ErrorIs(t, err, net.ErrClosed)
}

// A handle detached inside a handler of its own loop (as a server hands an
// accepted connection on), then attached elsewhere.
func TestDetachInsideHandler(t *testing.T) {
	a, b := uvtest.NewLoop(t), uvtest.NewLoop(t)
	client, server := tcpPair(t, a, a)
	defer client.Close()
	var d *uv.Detached
	var derr error
	require.NoError(t, a.Do(func() { d, derr = server.Detach() }))
	require.NoError(t, derr)
	h, err := d.Attach(b)
	require.NoError(t, err)
	defer h.IPCHandle().Close()
	_, err = client.Write([]byte("x"))
	require.NoError(t, err)
	assert.Equal(t, "x", readN(t, h.(*uv.TCP), 1))
}
