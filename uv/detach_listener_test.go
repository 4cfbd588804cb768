//go:build cgo && !windows

package uv_test

import (
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/uv"
	"github.com/uvpipe/uvpipe/uv/uvtest"
)

// dialHello connects to addr with Go's net package and sends hello.
func dialHello(t *testing.T, network, addr, hello string) net.Conn {
	t.Helper()
	c, err := net.Dial(network, addr)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	_, err = c.Write([]byte(hello))
	require.NoError(t, err)
	return c
}

// pendingConnection makes srv's loop accept a connection that nobody takes
// (libuv holds it as the listener's accepted fd), and returns its client.
func pendingConnection(t *testing.T, srv interface{ OnConnection(func(error)) }, network, addr string) net.Conn {
	t.Helper()
	announced := make(chan error, 1)
	srv.OnConnection(func(err error) { announced <- err })
	c := dialHello(t, network, addr, "first")
	require.NoError(t, <-announced)
	return c
}

// pipeServer listens on a socket file on l.
func pipeServer(t *testing.T, l *uv.Loop) (*uv.Pipe, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "srv.sock")
	srv, err := uv.NewPipe(l, false, 0)
	require.NoError(t, err)
	t.Cleanup(func() { srv.Close() })
	require.NoError(t, srv.Bind(path))
	require.NoError(t, srv.Listen(0))
	return srv, path
}

// moveListener detaches h and attaches it on l.
func moveListener(t *testing.T, h interface{ Detach() (*uv.Detached, error) }, l *uv.Loop) uv.IPCAcceptable {
	t.Helper()
	d, err := h.Detach()
	require.NoError(t, err)
	moved, err := d.Attach(l)
	require.NoError(t, err)
	t.Cleanup(func() { moved.IPCHandle().Close() })
	return moved
}

// A TCP listener moves to another loop and goes on listening: the
// connection the old loop had accepted and not handed out comes first, then
// one that queued in the backlog while no loop watched, then a new one.
func TestDetachTCPListenerMovesWithItsConnections(t *testing.T) {
	la, lb := uvtest.NewLoop(t), uvtest.NewLoop(t)
	srv := listener(t, la)
	addr := srv.LocalAddr().String()
	pendingConnection(t, srv, "tcp", addr)

	d, err := srv.Detach()
	require.NoError(t, err)
	dialHello(t, "tcp", addr, "second") // queues in the backlog
	h, err := d.Attach(lb)
	require.NoError(t, err)
	moved := h.(*uv.TCP)
	defer moved.Close()
	assert.Same(t, lb, moved.Loop())
	assert.Equal(t, addr, moved.LocalAddr().String(), "the same listening socket")
	_, err = srv.Accept()
	assert.ErrorIs(t, err, net.ErrClosed, "the old handle is closed")

	for _, want := range []string{"first", "second", "third"} {
		if want == "third" {
			dialHello(t, "tcp", addr, want)
		}
		c, err := moved.Accept()
		require.NoError(t, err)
		assert.Same(t, lb, c.Loop())
		assert.Equal(t, want, readN(t, c, len(want)))
		c.Close()
	}
}

// In the event style, the new handler hears at once of the connection the
// move carried, and of later ones as usual.
func TestMovedListenerAnnouncesCarriedConnection(t *testing.T) {
	la, lb := uvtest.NewLoop(t), uvtest.NewLoop(t)
	srv := listener(t, la)
	addr := srv.LocalAddr().String()
	pendingConnection(t, srv, "tcp", addr)
	moved := moveListener(t, srv, lb).(*uv.TCP)

	conns := make(chan *uv.TCP, 2)
	moved.OnConnection(func(err error) {
		if assert.NoError(t, err) {
			c, err := moved.Accept()
			if assert.NoError(t, err) {
				conns <- c
			}
		}
	})
	dialHello(t, "tcp", addr, "second")
	for _, want := range []string{"first", "second"} {
		c := <-conns
		assert.Equal(t, want, readN(t, c, len(want)))
		c.Close()
	}
}

// A pipe server moves with its socket file, which stays while it is
// detached and is removed when the attached server closes.
func TestDetachPipeServerMovesItsSocketFile(t *testing.T) {
	la, lb := uvtest.NewLoop(t), uvtest.NewLoop(t)
	srv, path := pipeServer(t, la)
	pendingConnection(t, srv, "unix", path)

	moved := moveListener(t, srv, lb).(*uv.Pipe)
	_, err := os.Stat(path)
	require.NoError(t, err, "the old handle's close left the socket file")
	dialHello(t, "unix", path, "second")
	for _, want := range []string{"first", "second"} {
		c, err := moved.Accept(false, 0)
		require.NoError(t, err)
		assert.Equal(t, want, readN(t, c, len(want)))
		c.Close()
	}
	require.NoError(t, moved.Close())
	_, err = os.Stat(path)
	assert.ErrorIs(t, err, os.ErrNotExist, "the attached server removed its socket file")
}

// A listener detached and never attached closes as the listener would
// have: its accepted connection ends, its socket file goes.
func TestDetachedListenerCloseReleasesEverything(t *testing.T) {
	la := uvtest.NewLoop(t)
	srv, path := pipeServer(t, la)
	c := pendingConnection(t, srv, "unix", path)
	d, err := srv.Detach()
	require.NoError(t, err)
	require.NoError(t, d.Close())
	c.SetReadDeadline(time.Now().Add(20 * time.Second))
	_, err = c.Read(make([]byte, 1))
	// Closed with "first" unread: a reset rather than an orderly end.
	assert.True(t, errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET), "the accepted connection was closed: %v", err)
	_, err = os.Stat(path)
	assert.ErrorIs(t, err, os.ErrNotExist)
}

// An IPC pipe moves with the handles it received and nobody took yet: a
// plain Read passed over them, and they come with the next ReadHandles on
// the new loop, where they open.
func TestDetachIPCPipeCarriesReceivedHandles(t *testing.T) {
	la, lb := uvtest.NewLoop(t), uvtest.NewLoop(t)
	a, b := pipePair(t, la, true)
	p1, p2 := pipePair(t, la, false)
	srv := listener(t, la)
	_, err := a.WriteHandle([]byte("one"), p1)
	require.NoError(t, err)
	_, err = a.WriteHandle([]byte("two"), srv)
	require.NoError(t, err)
	assert.Equal(t, "onetwo", readN(t, b, 6)) // passes over both handles

	moved := moveListener(t, b, lb).(*uv.Pipe)
	assert.True(t, moved.IPC())
	_, err = a.Write([]byte("three"))
	require.NoError(t, err)
	var data string
	var hs []*uv.Received
	for len(data) < len("three") {
		buf := make([]byte, 16)
		n, got, err := moved.ReadHandles(buf)
		require.NoError(t, err)
		data, hs = data+string(buf[:n]), append(hs, got...)
	}
	assert.Equal(t, "three", data)
	require.Len(t, hs, 2)
	assert.Equal(t, []uv.HandleType{uv.NamedPipe, uv.TCPHandle}, []uv.HandleType{hs[0].Type, hs[1].Type})
	h, err := hs[0].Handle()
	require.NoError(t, err)
	got := h.(*uv.Pipe)
	defer got.Close()
	assert.Same(t, lb, got.Loop(), "a carried handle opens on the new loop")
	_, err = p2.Write([]byte("live"))
	require.NoError(t, err)
	assert.Equal(t, "live", readN(t, got, 4))
	require.NoError(t, hs[1].Close())
}

// Handles still in libuv's pending queue cannot move (libuv has no way to
// queue them on another handle): Detach says so and the pipe stays usable.
func TestDetachRefusesHandlesPendingInLibuv(t *testing.T) {
	l := uvtest.NewLoop(t)
	a, b := pipePair(t, l, true)
	p1, _ := pipePair(t, l, false)
	got := make(chan string, 1)
	require.NoError(t, b.OnRead(func(data []byte, err error) {
		if err == nil {
			got <- string(data)
		}
	}))
	_, err := a.WriteHandle([]byte("one"), p1)
	require.NoError(t, err)
	assert.Equal(t, "one", <-got)
	require.Equal(t, 1, b.PendingCount())
	_, err = b.Detach()
	assert.ErrorContains(t, err, "pending in libuv")
	assert.Equal(t, 1, b.PendingCount(), "still usable")
}

// Handles that arrived ahead of bytes not read yet (buffered in the handle)
// keep their place in the bytes across a move.
func TestDetachIPCPipeKeepsHandlesInPlace(t *testing.T) {
	la, lb := uvtest.NewLoop(t), uvtest.NewLoop(t)
	a, b := pipePair(t, la, true)
	p1, _ := pipePair(t, la, false)
	p2, _ := pipePair(t, la, false)
	_, err := a.WriteHandle([]byte("one"), p1)
	require.NoError(t, err)
	_, err = a.WriteHandle([]byte("two"), p2)
	require.NoError(t, err)
	buf := make([]byte, 1)
	n, hs, err := b.ReadHandles(buf) // "o": the rest may wait in the handle
	require.NoError(t, err)
	assert.Equal(t, "o", string(buf[:n]))
	require.Len(t, hs, 1)
	require.NoError(t, hs[0].Close())
	// The loop goes on reading: wait until "two" and its handle wait in b.
	for deadline := time.Now().Add(20 * time.Second); uv.BufferedMarks(b) == 0; time.Sleep(time.Millisecond) {
		require.True(t, time.Now().Before(deadline), "the second handle never arrived")
	}

	moved := moveListener(t, b, lb).(*uv.Pipe)
	var data string
	at := -1
	for len(data) < len("netwo") {
		buf := make([]byte, 16)
		n, hs, err := moved.ReadHandles(buf)
		require.NoError(t, err)
		for _, h := range hs {
			at = len(data)
			require.NoError(t, h.Close())
		}
		data += string(buf[:n])
	}
	assert.Equal(t, "netwo", data)
	assert.Equal(t, 2, at, "the second handle stands before \"two\"")
}
