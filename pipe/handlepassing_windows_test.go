package pipe_test

import (
	"io"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/pipe"
	"github.com/uvpipe/uvpipe/uv"
)

// readOneHandle reads one byte and the one handle that came with it.
func readOneHandle(t *testing.T, p *pipe.Pipe) (string, *pipe.ReceivedHandle) {
	t.Helper()
	buf := make([]byte, 8)
	n, hs, err := p.ReadHandles(buf)
	require.NoError(t, err)
	require.Len(t, hs, 1)
	return string(buf[:n]), hs[0]
}

// Go sends its own *net.TCPListener over an IPC named pipe pair; the
// receiver takes it as pipe's net.Listener (Go's net cannot adopt a SOCKET
// on Windows) and serves on it, while the sender's copy is closed.
func TestSendTCPListenerWindows(t *testing.T) {
	a, b := socketPair(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	_, err = a.WriteHandle([]byte("L"), ln)
	require.NoError(t, err)
	require.NoError(t, ln.Close(), "the sender's copy closes; the receiver's lives on")

	msg, h := readOneHandle(t, b)
	require.Equal(t, "L", msg)
	require.Equal(t, pipe.KindTCPListener, h.Kind())
	_, err = h.Conn()
	require.Error(t, err, "a listener is not a connection")
	rl, err := h.Listener()
	require.NoError(t, err)
	defer rl.Close()
	assert.Equal(t, addr, rl.Addr().String())
	go func() {
		c, err := rl.Accept()
		if err != nil {
			return
		}
		io.WriteString(c, "served on a passed socket")
		c.Close()
	}()
	c, err := net.DialTimeout("tcp", addr, 30*time.Second)
	require.NoError(t, err)
	defer c.Close()
	got, err := io.ReadAll(c)
	require.NoError(t, err)
	assert.Equal(t, "served on a passed socket", string(got))
}

// An accepted TCP connection goes over the pair; the receiver takes it as
// a net.Conn and talks to the client through it.
func TestSendTCPConnWindows(t *testing.T) {
	a, b := socketPair(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	client, err := net.DialTimeout("tcp", ln.Addr().String(), 30*time.Second)
	require.NoError(t, err)
	defer client.Close()
	server, err := ln.Accept()
	require.NoError(t, err)
	_, err = a.WriteHandle([]byte("C"), server)
	require.NoError(t, err)
	require.NoError(t, server.Close())

	msg, h := readOneHandle(t, b)
	require.Equal(t, "C", msg)
	require.Equal(t, pipe.KindTCPConn, h.Kind())
	_, err = h.Listener()
	require.ErrorIs(t, err, pipe.ErrNotListening)
	c, err := h.Conn()
	require.NoError(t, err)
	defer c.Close()
	assert.Equal(t, client.LocalAddr().String(), c.RemoteAddr().String())
	_, err = c.Write([]byte("over the passed socket"))
	require.NoError(t, err)
	require.NoError(t, c.Close())
	got, err := io.ReadAll(client)
	require.NoError(t, err)
	assert.Equal(t, "over the passed socket", string(got))
}

// Only TCP handles cross on Windows: a pipe is refused before anything is
// written.
func TestSendPipeRefusedWindows(t *testing.T) {
	a, _ := socketPair(t)
	x, _ := socketPair(t)
	_, err := a.WriteHandle([]byte("P"), x)
	require.ErrorIs(t, err, uv.ErrNotPassable)
}
