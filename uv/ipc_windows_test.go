//go:build cgo

package uv_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/windows"

	"github.com/uvpipe/uvpipe/uv"
	"github.com/uvpipe/uvpipe/uv/uvtest"
)

func listener(t *testing.T, l *uv.Loop) *uv.TCP {
	t.Helper()
	srv, err := uv.NewTCP(l)
	require.NoError(t, err)
	t.Cleanup(func() { srv.Close() })
	require.NoError(t, srv.Bind(loopback))
	require.NoError(t, srv.Listen(0))
	return srv
}

// serveOnce accepts one connection on srv and reads it to its end.
func serveOnce(t *testing.T, srv *uv.TCP, addr string, send string) string {
	t.Helper()
	go func() {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Write([]byte(send))
			c.Close()
		}
	}()
	c, err := srv.Accept()
	require.NoError(t, err)
	defer c.Close()
	got, err := io.ReadAll(c)
	require.NoError(t, err)
	return string(got)
}

// A listening TCP handle sent over an IPC named pipe arrives with its bytes;
// the receiver, on another loop, accepts it into a TCP handle and serves on
// it once the sender closed its own copy.
func TestWindowsSendTCPServerToAnotherLoop(t *testing.T) {
	l1, l2 := uvtest.NewLoop(t), uvtest.NewLoop(t)
	a, b := pipePairLoops(t, l1, l2, true)
	srv := listener(t, l1)
	addr := srv.LocalAddr()

	_, err := a.WriteHandle([]byte("take it"), srv)
	require.NoError(t, err)
	buf := make([]byte, 64)
	n, hs, err := b.ReadHandles(buf)
	require.NoError(t, err)
	require.Len(t, hs, 1)
	assert.Equal(t, "take it", string(buf[:n]))
	assert.Equal(t, uv.TCPHandle, hs[0].Type)

	mine, err := uv.NewTCP(l2)
	require.NoError(t, err)
	defer mine.Close()
	require.NoError(t, hs[0].AcceptInto(mine))
	require.NoError(t, mine.Listen(0), "a received listener is listened on again, as Node does")
	assert.Equal(t, addr.String(), mine.LocalAddr().String(), "the same listening socket")
	require.NoError(t, srv.Close(), "the sender closes its own copy")
	assert.Equal(t, "hello", serveOnce(t, mine, addr.String(), "hello"))
}

// A connected TCP handle crosses both ways: loop 1 sends its accepted
// connection to loop 2, which echoes on it and sends it back; loop 1 takes
// it with AcceptHandle (uv_accept into its own TCP handle) and finishes the
// exchange. The Go client at the far end sees one unbroken connection.
func TestWindowsSendTCPConnectionBothWays(t *testing.T) {
	l1, l2 := uvtest.NewLoop(t), uvtest.NewLoop(t)
	a, b := pipePairLoops(t, l1, l2, true)
	srv := listener(t, l1)
	client, err := net.Dial("tcp", srv.LocalAddr().String())
	require.NoError(t, err)
	defer client.Close()
	conn, err := srv.Accept()
	require.NoError(t, err)

	_, err = a.WriteHandle([]byte("c"), conn)
	require.NoError(t, err)
	require.NoError(t, conn.Close(), "the sender's copy goes; the connection stays")

	_, hs, err := b.ReadHandles(make([]byte, 1))
	require.NoError(t, err)
	require.Len(t, hs, 1)
	h, err := hs[0].Handle()
	require.NoError(t, err)
	there := h.(*uv.TCP)
	assert.Equal(t, client.LocalAddr().String(), there.RemoteAddr().String())
	_, err = client.Write([]byte("ping"))
	require.NoError(t, err)
	got := make([]byte, 4)
	_, err = io.ReadFull(there, got)
	require.NoError(t, err)
	assert.Equal(t, "ping", string(got))
	_, err = there.Write([]byte("pong"))
	require.NoError(t, err)
	_, err = io.ReadFull(client, got)
	require.NoError(t, err)
	assert.Equal(t, "pong", string(got))

	back, err := uv.NewTCP(l1)
	require.NoError(t, err)
	defer back.Close()
	accepted := make(chan error, 1)
	a.OnHandle(func(typ uv.HandleType) {
		if typ != uv.TCPHandle {
			accepted <- errors.New("the pending handle is a " + typ.String())
			return
		}
		accepted <- a.AcceptHandle(back)
	})
	require.NoError(t, a.OnRead(func([]byte, error) {}))
	_, err = b.WriteHandleAndClose([]byte("back"), there)
	require.NoError(t, err)
	require.NoError(t, <-accepted)
	_, err = client.Write([]byte("again"))
	require.NoError(t, err)
	got = make([]byte, 5)
	_, err = io.ReadFull(back, got)
	require.NoError(t, err)
	assert.Equal(t, "again", string(got))
	require.NoError(t, back.CloseWrite())
	n, err := client.Read(got)
	assert.Zero(t, n)
	assert.ErrorIs(t, err, io.EOF)
}

// WriteFD sends a Go listener's own socket (from its SyscallConn): the
// receiver serves on a duplicate after Go closed its listener.
func TestWindowsWriteFDSendsAGoListener(t *testing.T) {
	l := uvtest.NewLoop(t)
	a, b := pipePair(t, l, true)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	rc, err := ln.(*net.TCPListener).SyscallConn()
	require.NoError(t, err)
	var werr error
	require.NoError(t, rc.Control(func(fd uintptr) {
		_, werr = a.WriteFD([]byte("go"), int(fd), uv.TCPHandle)
	}))
	require.NoError(t, werr)
	require.NoError(t, ln.Close())

	_, hs, err := b.ReadHandles(make([]byte, 2))
	require.NoError(t, err)
	require.Len(t, hs, 1)
	mine, err := uv.NewTCP(l)
	require.NoError(t, err)
	defer mine.Close()
	require.NoError(t, hs[0].AcceptInto(mine))
	require.NoError(t, mine.Listen(0))
	assert.Equal(t, addr, mine.LocalAddr().String())
	assert.Equal(t, "from go", serveOnce(t, mine, addr, "from go"))
}

// What libuv cannot pass on Windows is refused before anything is written:
// a pipe, a UDP socket, WriteFD of another type than TCP. A received
// handle cannot become an *os.File there, and stays with its Received.
func TestWindowsHandleSendingErrors(t *testing.T) {
	l := uvtest.NewLoop(t)
	a, b := pipePair(t, l, true)
	other, _ := pipePair(t, l, false)
	_, err := a.WriteHandle([]byte("x"), other)
	assert.ErrorIs(t, err, uv.ErrNotPassable)
	udp, err := uv.NewUDP(l)
	require.NoError(t, err)
	defer udp.Close()
	require.NoError(t, udp.Bind(loopback))
	_, err = a.WriteHandle([]byte("x"), udp)
	assert.ErrorIs(t, err, uv.ErrNotPassable)
	_, err = a.WriteFD([]byte("x"), 0, uv.UDPHandle)
	assert.ErrorIs(t, err, uv.ErrNotPassable)

	plain, _ := pipePair(t, l, false)
	srv := listener(t, l)
	_, err = plain.WriteHandle([]byte("x"), srv)
	assert.ErrorIs(t, err, syscall.EINVAL, "a non-IPC pipe cannot carry handles")
	_, err = a.WriteHandle(nil, srv)
	assert.Error(t, err, "a handle needs at least one byte")

	_, err = a.WriteHandle([]byte("x"), srv)
	require.NoError(t, err)
	_, hs, err := b.ReadHandles(make([]byte, 1))
	require.NoError(t, err)
	require.Len(t, hs, 1)
	_, err = hs[0].File()
	assert.True(t, errors.Is(err, uv.ErrNotPassable), "File: %v", err)
	assert.GreaterOrEqual(t, hs[0].Fd(), 0, "the Received keeps its socket")
	require.NoError(t, hs[0].Close())
	assert.Equal(t, -1, hs[0].Fd())
}

// A handle that arrives and is never taken is closed with the pipe (the
// loop ends the test with no handle: uvtest.NewLoop).
func TestWindowsUntakenHandlesCloseWithThePipe(t *testing.T) {
	l := uvtest.NewLoop(t)
	a, b := pipePair(t, l, true)
	srv := listener(t, l)
	_, err := a.WriteHandle([]byte("x"), srv)
	require.NoError(t, err)
	n, err := b.Read(make([]byte, 8))
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	require.NoError(t, b.Close())
}

// TCP handles between two processes (the test binary re-executed as the
// child): the parent sends a listening socket over a named pipe; the child
// listens on it, accepts a Go client's connection and sends the connection
// back; the parent answers the client on it. libuv duplicates each socket
// for the other process (WSADuplicateSocketW with the pipe's peer's pid).
func TestWindowsTCPHandlesBetweenProcesses(t *testing.T) {
	l := uvtest.NewLoop(t)
	name := pipeName()
	lp, err := uv.NewPipe(l, false, 0)
	require.NoError(t, err)
	defer lp.Close()
	require.NoError(t, lp.Bind(name))
	require.NoError(t, lp.Listen(1))

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=ipc-tcp", childPipeEnv+"="+name)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	require.NoError(t, cmd.Start())
	exited := false
	defer func() {
		if !exited {
			cmd.Process.Kill()
			cmd.Wait()
		}
	}()
	p, err := lp.Accept(true, 0)
	require.NoError(t, err)
	defer p.Close()

	srv := listener(t, l)
	addr := srv.LocalAddr().String()
	_, err = p.WriteHandle([]byte("srv"), srv)
	require.NoError(t, err)
	require.NoError(t, srv.Close())
	ready := make([]byte, 5)
	_, err = io.ReadFull(p, ready)
	require.NoError(t, err, "child output: %s", &out)
	assert.Equal(t, "ready", string(ready))

	client, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer client.Close()
	_, hs, err := p.ReadHandles(make([]byte, 4))
	require.NoError(t, err)
	require.Len(t, hs, 1)
	h, err := hs[0].Handle()
	require.NoError(t, err)
	conn := h.(*uv.TCP)
	defer conn.Close()
	_, err = conn.Write([]byte("from the parent"))
	require.NoError(t, err)
	require.NoError(t, conn.CloseWrite())
	got, err := io.ReadAll(client)
	require.NoError(t, err)
	assert.Equal(t, "from the parent", string(got))

	require.NoError(t, p.Close())
	err = cmd.Wait()
	exited = true
	require.NoError(t, err, "child output: %s", &out)
}

// pendingHoldsFD: a handle received on a Windows IPC pipe is libuv's copy
// of the socket's WSAPROTOCOL_INFOW while it waits; the SOCKET is made when
// it is taken.
const pendingHoldsFD = false

// getProcessHandleCount is kernel32's GetProcessHandleCount.
var getProcessHandleCount = windows.NewLazySystemDLL("kernel32.dll").NewProc("GetProcessHandleCount")

// openFDs counts the process's open HANDLEs (sockets among them), Windows'
// fds. Wine's GetProcessHandleCount succeeds and reports 0 whatever the
// process holds, so a test that counts them skips itself there (it runs on
// Windows itself).
func openFDs(t *testing.T) int {
	t.Helper()
	var n uint32
	r, _, err := getProcessHandleCount.Call(uintptr(windows.CurrentProcess()), uintptr(unsafe.Pointer(&n)))
	require.NotZero(t, r, "GetProcessHandleCount: %v", err)
	if n == 0 {
		t.Skip("GetProcessHandleCount reports no HANDLE (Wine's does): the process's HANDLEs cannot be counted")
	}
	return int(n)
}
