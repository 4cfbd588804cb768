//go:build cgo && !windows

package uv_test

import (
	"errors"
	"io"
	"net"
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

func listener(t *testing.T, l *uv.Loop) *uv.TCP {
	t.Helper()
	srv, err := uv.NewTCP(l)
	require.NoError(t, err)
	t.Cleanup(func() { srv.Close() })
	require.NoError(t, srv.Bind(loopback))
	require.NoError(t, srv.Listen(0))
	return srv
}

// A listening TCP handle sent over an IPC pipe arrives with its bytes; the
// receiver accepts it into a TCP handle on another loop and serves on it.
func TestSendListenerReceiveOnAnotherLoop(t *testing.T) {
	l1, l2 := uvtest.NewLoop(t), uvtest.NewLoop(t)
	a, b := pipePair(t, l1, true)
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

	go func() {
		c, err := net.Dial("tcp", addr.String())
		if err == nil {
			c.Write([]byte("hello"))
			c.Close()
		}
	}()
	c, err := mine.Accept()
	require.NoError(t, err)
	defer c.Close()
	got, err := io.ReadAll(c)
	require.NoError(t, err)
	assert.Equal(t, "hello", string(got))
}

// Three handles back to back, mixed kinds, arrive in order; data written
// before and after stays in place around them.
func TestHandlesArriveInOrderWithTheirData(t *testing.T) {
	l := uvtest.NewLoop(t)
	a, b := pipePair(t, l, true)
	srv := listener(t, l)
	p1, p2 := pipePair(t, l, false)
	_ = p2
	udp, err := uv.NewUDP(l)
	require.NoError(t, err)
	defer udp.Close()
	require.NoError(t, udp.Bind(&net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)}))

	_, err = a.Write([]byte("one"))
	require.NoError(t, err)
	_, err = a.WriteHandle([]byte("two"), p1)
	require.NoError(t, err)
	_, err = a.WriteHandle([]byte("three"), srv)
	require.NoError(t, err)
	_, err = a.WriteHandle([]byte("four"), udp)
	require.NoError(t, err)
	_, err = a.Write([]byte("five"))
	require.NoError(t, err)
	require.NoError(t, a.CloseWrite())

	var data string
	var types []uv.HandleType
	var at []int
	buf := make([]byte, 64)
	for {
		n, hs, err := b.ReadHandles(buf)
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err)
		for _, h := range hs {
			types = append(types, h.Type)
			at = append(at, len(data))
			require.NoError(t, h.Close())
		}
		data += string(buf[:n])
	}
	assert.Equal(t, "onetwothreefourfive", data)
	assert.Equal(t, []uv.HandleType{uv.NamedPipe, uv.TCPHandle, uv.UDPHandle}, types)
	// A handle comes before the read that carried it, and a read may begin
	// with bytes written earlier: the kernel returns "one" with "two" and its
	// fd in one recvmsg, so the first handle stands before "one".
	assert.Equal(t, []int{0, 6, 11}, at)
}

// bare-pipe's way: handles announced in the read callback before the data,
// accepted synchronously; one left pending is announced again.
func TestOnHandleAcceptsSynchronously(t *testing.T) {
	l := uvtest.NewLoop(t)
	a, b := pipePair(t, l, true)
	srv := listener(t, l)
	var types []uv.HandleType
	var accepted *uv.TCP
	var data []byte
	done := make(chan struct{})
	b.OnHandle(func(typ uv.HandleType) {
		types = append(types, typ)
		if len(types) == 1 {
			return // leave it pending the first time
		}
		tcp, err := uv.NewTCP(l)
		if assert.NoError(t, err) && assert.NoError(t, b.AcceptHandle(tcp)) {
			accepted = tcp
		}
	})
	require.NoError(t, b.OnRead(func(p []byte, err error) {
		if err != nil {
			close(done)
			return
		}
		data = append(data, p...)
	}))
	_, err := a.WriteHandle([]byte("x"), srv)
	require.NoError(t, err)
	time.Sleep(20 * time.Millisecond)
	_, err = a.Write([]byte("y"))
	require.NoError(t, err)
	a.CloseWrite()
	<-done
	l.Do(func() {
		assert.Equal(t, []uv.HandleType{uv.TCPHandle, uv.TCPHandle}, types)
		assert.Equal(t, "xy", string(data))
		require.NotNil(t, accepted)
	})
	assert.Equal(t, srv.LocalAddr().String(), accepted.LocalAddr().String())
	accepted.Close()
}

func TestHandleSendingErrors(t *testing.T) {
	l := uvtest.NewLoop(t)
	srv := listener(t, l)
	a, _ := pipePair(t, l, false)
	_, err := a.WriteHandle([]byte("x"), srv)
	assert.ErrorIs(t, err, syscall.EINVAL, "a non-IPC pipe cannot carry handles")

	c, _ := pipePair(t, l, true)
	_, err = c.WriteHandle(nil, srv)
	assert.Error(t, err, "a handle needs at least one byte")

	gone, err := uv.NewTCP(l)
	require.NoError(t, err)
	require.NoError(t, gone.Close())
	_, err = c.WriteHandle([]byte("x"), gone)
	assert.ErrorIs(t, err, syscall.EBADF)
}

// A handle that arrives and is never taken is closed with the pipe.
func TestUntakenHandlesCloseWithThePipe(t *testing.T) {
	l := uvtest.NewLoop(t)
	a, b := pipePair(t, l, true)
	srv := listener(t, l)
	before := openFDs(t)
	_, err := a.WriteHandle([]byte("x"), srv)
	require.NoError(t, err)
	n, err := b.Read(make([]byte, 8))
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	assert.Equal(t, before+1, openFDs(t), "the received fd is held for ReadHandles")
	require.NoError(t, b.Close())
	assert.Equal(t, before-1, openFDs(t), "b's fd and the received one are closed")
}

// pendingHoldsFD: a handle received on a unix IPC pipe is an fd while it
// waits to be taken.
const pendingHoldsFD = true

// openFDs counts the process's open fds.
func openFDs(t *testing.T) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	require.NoError(t, err)
	return len(ents)
}

// A handle sent with WriteHandleAndClose behind a full socket is closed once
// its queued write is done, not leaked.
func TestWriteHandleAndCloseWhenQueued(t *testing.T) {
	l := uvtest.NewLoop(t)
	a, b := pipePair(t, l, true)
	srv := listener(t, l)
	base := l.HandleCount()
	l.Do(func() { a.Write(make([]byte, 8<<20)) }) // fills the socket; the rest queues
	tmp, err := uv.NewTCP(l)
	require.NoError(t, err)
	require.NoError(t, tmp.Open(dupFD(t, srv)))
	done := make(chan error, 1)
	go func() {
		_, err := a.WriteHandleAndClose([]byte("h"), tmp)
		done <- err
	}()
	got := 0
	buf := make([]byte, 1<<20)
	var hs []*uv.Received
	for got < 8<<20+1 {
		n, h, err := b.ReadHandles(buf)
		require.NoError(t, err)
		got += n
		hs = append(hs, h...)
	}
	require.NoError(t, <-done)
	require.Len(t, hs, 1)
	require.NoError(t, hs[0].Close())
	assert.Eventually(t, func() bool { return l.HandleCount() == base }, 5*time.Second, time.Millisecond,
		"the sent handle was closed after its write")
}

func dupFD(t *testing.T, h uv.IPCAcceptable) int {
	t.Helper()
	var fd int
	require.NoError(t, h.IPCHandle().Control(func(raw int) error {
		var err error
		fd, err = syscall.Dup(raw)
		return err
	}))
	return fd
}

// A peer that sends many handles and closes: every handle and byte arrives
// before io.EOF. libuv 1.44 takes POLLHUP after a short read for the end of
// the stream, and on an IPC pipe every read that brings an fd is short.
func TestManyHandlesThenPeerCloses(t *testing.T) {
	l := uvtest.NewLoop(t)
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	require.NoError(t, err)
	p := openPipe(t, l, fds[0], true)
	for i := 0; i < 20; i++ {
		x, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
		require.NoError(t, err)
		require.NoError(t, unix.Sendmsg(fds[1], []byte{'a' + byte(i)}, unix.UnixRights(x), nil, 0))
		unix.Close(x)
	}
	unix.Close(fds[1])
	handles, data := 0, ""
	buf := make([]byte, 64)
	for {
		n, hs, err := p.ReadHandles(buf)
		handles += len(hs)
		data += string(buf[:n])
		for _, h := range hs {
			h.Close()
		}
		if err != nil {
			assert.ErrorIs(t, err, io.EOF)
			break
		}
	}
	assert.Equal(t, 20, handles)
	assert.Equal(t, "abcdefghijklmnopqrst", data)
}

// WriteFD sends an fd it borrows and leaves the socket as it found it: a
// blocking socket stays blocking, and a UDP socket's SO_REUSEADDR is not
// turned on (libuv's uv_*_open would do both, on the private path as on the
// public one, which opens a duplicate).
func TestWriteFDLeavesTheSocketAsItWas(t *testing.T) {
	l := uvtest.NewLoop(t)
	a, b := pipePair(t, l, true)
	stream, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	require.NoError(t, err)
	defer unix.Close(stream[0])
	defer unix.Close(stream[1])
	dgram, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	require.NoError(t, err)
	defer unix.Close(dgram)
	for _, c := range []struct {
		fd int
		t  uv.HandleType
	}{{stream[0], uv.NamedPipe}, {dgram, uv.UDPHandle}} {
		_, err := a.WriteFD([]byte("fd"), c.fd, c.t)
		require.NoError(t, err, "%v", c.t)
		_, hs, err := b.ReadHandles(make([]byte, 2))
		require.NoError(t, err)
		require.Len(t, hs, 1)
		require.NoError(t, hs[0].Close())
		flags, err := unix.FcntlInt(uintptr(c.fd), unix.F_GETFL, 0)
		require.NoError(t, err)
		assert.Zero(t, flags&unix.O_NONBLOCK, "%v: WriteFD made the socket non-blocking", c.t)
	}
	reuse, err := unix.GetsockoptInt(dgram, unix.SOL_SOCKET, unix.SO_REUSEADDR)
	require.NoError(t, err)
	assert.Zero(t, reuse, "WriteFD set SO_REUSEADDR on the UDP socket")
}
