//go:build cgo && !windows

package uv_test

import (
	"io"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/uv"
	"github.com/uvpipe/uvpipe/uv/uvtest"
)

func TestDetachPipeKeepsIPCAndBytes(t *testing.T) {
	a, b := uvtest.NewLoop(t), uvtest.NewLoop(t)
	p, q := pipePair(t, a, true)
	defer p.Close()
	_, err := p.Write([]byte("abcdef"))
	require.NoError(t, err)
	assert.Equal(t, "ab", readN(t, q, 2))
	d, err := q.Detach()
	require.NoError(t, err)
	h, err := d.Attach(b)
	require.NoError(t, err)
	moved := h.(*uv.Pipe)
	defer moved.Close()
	assert.True(t, moved.IPC())
	assert.Equal(t, "cdef", readN(t, moved, 4))
}

func TestDetachUDPKeepsDatagrams(t *testing.T) {
	a, b := uvtest.NewLoop(t), uvtest.NewLoop(t)
	u, err := uv.NewUDP(a)
	require.NoError(t, err)
	require.NoError(t, u.Bind(&net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)}))
	s, err := net.Dial("udp", u.LocalAddr().String())
	require.NoError(t, err)
	defer s.Close()
	for _, m := range []string{"one", "two", "three"} {
		_, err := s.Write([]byte(m))
		require.NoError(t, err)
	}
	buf := make([]byte, 16)
	n, _, err := u.ReadFrom(buf)
	require.NoError(t, err)
	assert.Equal(t, "one", string(buf[:n]))
	d, err := u.Detach()
	require.NoError(t, err)
	h, err := d.Attach(b)
	require.NoError(t, err)
	moved := h.(*uv.UDP)
	defer moved.Close()
	for _, want := range []string{"two", "three"} {
		require.NoError(t, moved.SetReadDeadline(time.Now().Add(20*time.Second)))
		n, _, err := moved.ReadFrom(buf)
		require.NoError(t, err)
		assert.Equal(t, want, string(buf[:n]))
	}
}

func TestDetachedCloseReleasesTheFd(t *testing.T) {
	l := uvtest.NewLoop(t)
	p, q := pipePair(t, l, false)
	defer p.Close()
	d, err := q.Detach()
	require.NoError(t, err)
	require.NoError(t, d.Close())
	_, err = d.Attach(l)
	assert.Error(t, err)
	// The peer sees the socket closed.
	_, err = p.Read(make([]byte, 1))
	assert.ErrorIs(t, err, io.EOF)
}

// A Read that waits owns the stream's buffers: Detach refuses rather than
// take them from under it, and works once the Read has returned.
func TestDetachRefusedWhileAReadWaits(t *testing.T) {
	l := uvtest.NewLoop(t)
	a, b := pipePair(t, l, false)
	got := make(chan string, 1)
	go func() {
		buf := make([]byte, 8192)
		n, _ := a.Read(buf)
		got <- string(buf[:n])
	}()
	require.Eventually(t, func() bool { return uv.ReadBusy(&a.Stream) }, time.Minute, time.Millisecond, "the Read never took its turn")
	_, err := a.Detach()
	require.ErrorContains(t, err, "while a Read waits")
	_, err = b.Write([]byte("hello"))
	require.NoError(t, err)
	assert.Equal(t, "hello", <-got, "the Read kept its bytes")
	d, err := a.Detach()
	require.NoError(t, err)
	require.NoError(t, d.Close())
}
