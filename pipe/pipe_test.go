package pipe_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"runtime"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/pipe"
)

func socketPair(t *testing.T) (*pipe.Pipe, *pipe.Pipe) {
	t.Helper()
	a, b, err := pipe.SocketPair()
	require.NoError(t, err)
	t.Cleanup(func() { a.Close(); b.Close() })
	return a, b
}

func TestDialListenEcho(t *testing.T) {
	path := sockPath(t)
	srv, err := pipe.Listen(path)
	require.NoError(t, err)
	defer srv.Close()
	go func() {
		c, err := srv.Accept()
		if err != nil {
			return
		}
		io.Copy(c, c)
		c.Close()
	}()
	c, err := pipe.Dial(context.Background(), path)
	require.NoError(t, err)
	defer c.Close()
	assert.Equal(t, boundName(path), c.RemoteAddr().String())
	// Before the data: on Windows libuv closes a pipe's HANDLE once both
	// directions have ended.
	cred, err := c.PeerCred()
	require.NoError(t, err)
	assert.Equal(t, os.Getpid(), cred.PID)
	_, err = c.Write([]byte("hello"))
	require.NoError(t, err)
	require.NoError(t, c.CloseWrite())
	got, err := io.ReadAll(c)
	require.NoError(t, err)
	assert.Equal(t, "hello", string(got))
	require.NoError(t, srv.Close())
	_, err = os.Stat(path)
	assert.True(t, os.IsNotExist(err), "the socket file is removed on Close")
	_, err = srv.Accept()
	assert.ErrorIs(t, err, net.ErrClosed)
}

// Go sends its own *net.TCPListener over a socket pair; the receiver serves
// net/http on it.
func TestSendGoListenerServeHTTPOnIt(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows: Go's net cannot adopt a passed SOCKET (net.FileListener); see TestSendTCPListenerWindows")
	}
	a, b := socketPair(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	_, err = a.WriteHandle([]byte("L"), ln)
	require.NoError(t, err)
	require.NoError(t, ln.Close(), "the sender's copy closes; the receiver's lives on")

	buf := make([]byte, 8)
	n, hs, err := b.ReadHandles(buf)
	require.NoError(t, err)
	require.Equal(t, "L", string(buf[:n]))
	require.Len(t, hs, 1)
	assert.Equal(t, pipe.KindTCPListener, hs[0].Kind())
	rl, err := hs[0].Listener()
	require.NoError(t, err)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "served on a passed socket")
	})}
	go srv.Serve(rl)
	defer srv.Close()
	resp, err := http.Get("http://" + addr + "/")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, "served on a passed socket", string(body))
	http.DefaultClient.CloseIdleConnections()
}

func TestOSPipeIsOneWayAndCannotCarryHandles(t *testing.T) {
	r, w, err := pipe.OSPipe()
	require.NoError(t, err)
	defer r.Close()
	defer w.Close()
	_, err = w.Write([]byte("hello pipe"))
	require.NoError(t, err)
	buf := make([]byte, 32)
	n, err := r.Read(buf)
	require.NoError(t, err)
	assert.Equal(t, "hello pipe", string(buf[:n]))
	ln, err := net.Listen("tcp", "127.0.0.1:0") // a handle every platform can pass
	require.NoError(t, err)
	defer ln.Close()
	_, err = w.WriteHandle([]byte("x"), ln)
	assert.ErrorIs(t, err, syscall.EINVAL)
}
