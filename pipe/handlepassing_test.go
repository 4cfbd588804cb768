//go:build !windows

package pipe_test

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/uvpipe/uvpipe/pipe"
	"github.com/uvpipe/uvpipe/uv"
	"github.com/uvpipe/uvpipe/uv/uvtest"
)

// readHandlesN reads from p until n handles have arrived, returning them
// and the data read on the way.
func readHandlesN(t *testing.T, p *pipe.Pipe, n int) ([]*pipe.ReceivedHandle, string) {
	t.Helper()
	p.SetReadDeadline(time.Now().Add(10 * time.Second))
	var hs []*pipe.ReceivedHandle
	var data []byte
	buf := make([]byte, 256)
	for len(hs) < n {
		k, got, err := p.ReadHandles(buf)
		data = append(data, buf[:k]...)
		hs = append(hs, got...)
		require.NoError(t, err, "after %d handles", len(hs))
	}
	return hs, string(data)
}

// countFDs counts this process's open fds (/proc/self/fd).
func countFDs(t *testing.T) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	require.NoError(t, err)
	return len(ents) - 1 // the directory's own fd
}

func init() {
	children["serve-received-listener"] = func() int {
		ipc, err := pipe.Config{IPC: true}.Open(3)
		if err != nil {
			return 2
		}
		defer ipc.Close()
		ipc.SetReadDeadline(time.Now().Add(20 * time.Second))
		buf := make([]byte, 16)
		_, hs, err := ipc.ReadHandles(buf)
		if err != nil || len(hs) != 1 {
			return 3
		}
		ln, err := hs[0].Listener()
		if err != nil {
			return 4
		}
		go serveName(ln, "child")
		ipc.Write([]byte("ready"))
		io.Copy(io.Discard, ipc) // until the parent closes its end
		ln.Close()
		return 0
	}
}

// serveName answers every connection on ln with name, until ln closes.
func serveName(ln net.Listener, name string) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		c.Write([]byte(name + "\n"))
		c.Close()
	}
}

// A listening TCP server sent to a child process: the child
// accepts on it, and connections are shared between both processes.
func TestSendListenerLoadBalanced(t *testing.T) {
	ipc, child := startChild(t, "serve-received-listener")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	_, err = ipc.WriteHandle([]byte("L"), ln)
	require.NoError(t, err)
	ipc.SetReadDeadline(time.Now().Add(10 * time.Second))
	ready := make([]byte, 5)
	_, err = io.ReadFull(ipc, ready)
	require.NoError(t, err)
	go serveName(ln, "parent")

	seen := map[string]int{}
	deadline := time.Now().Add(10 * time.Second)
	for (seen["child\n"] == 0 || seen["parent\n"] == 0) && time.Now().Before(deadline) {
		c, err := net.DialTimeout("tcp", ln.Addr().String(), 10*time.Second)
		require.NoError(t, err)
		c.SetDeadline(time.Now().Add(10 * time.Second))
		line, err := bufio.NewReader(c).ReadString('\n')
		c.Close()
		require.NoError(t, err)
		seen[line]++
	}
	assert.Positive(t, seen["child\n"], "the child accepted on the listener it was sent: %v", seen)
	assert.Positive(t, seen["parent\n"], "the parent still accepts on its copy: %v", seen)
	ipc.Close()
	require.NoError(t, child.Wait())
}

// An accepted TCP connection is sent; the receiver reads and
// writes it (as a uv.TCP, and as a Go net.Conn).
func TestSendAcceptedTCPConnection(t *testing.T) {
	a, b := pairT(t, pipe.Config{IPC: true})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	for _, asUV := range []bool{true, false} {
		client, err := net.Dial("tcp", ln.Addr().String())
		require.NoError(t, err)
		client.SetDeadline(time.Now().Add(10 * time.Second))
		accepted, err := ln.Accept()
		require.NoError(t, err)
		_, err = a.WriteHandle([]byte("conn"), accepted)
		require.NoError(t, err)
		accepted.Close() // the receiver's copy lives on

		hs, data := readHandlesN(t, b, 1)
		assert.Equal(t, "conn", data)
		require.Equal(t, pipe.KindTCPConn, hs[0].Kind())
		var rw io.ReadWriteCloser
		if asUV {
			tcp, err := uv.NewTCP(nil)
			require.NoError(t, err)
			require.NoError(t, hs[0].AcceptInto(tcp))
			tcp.SetDeadline(time.Now().Add(10 * time.Second))
			rw = tcp
		} else {
			c, err := hs[0].Conn()
			require.NoError(t, err)
			c.SetDeadline(time.Now().Add(10 * time.Second))
			rw = c
		}
		_, err = rw.Write([]byte("from receiver"))
		require.NoError(t, err)
		got := make([]byte, 13)
		_, err = io.ReadFull(client, got)
		require.NoError(t, err)
		assert.Equal(t, "from receiver", string(got))
		_, err = client.Write([]byte("to receiver"))
		require.NoError(t, err)
		got = make([]byte, 11)
		_, err = io.ReadFull(rw, got)
		require.NoError(t, err)
		assert.Equal(t, "to receiver", string(got))
		rw.Close()
		client.Close()
	}
}

// A pipe handle (one end of a socket pair) and a UDP handle
// are sent and work on the receiver.
func TestSendPipeAndUDP(t *testing.T) {
	a, b := pairT(t, pipe.Config{IPC: true})
	x, y := pairT(t, pipe.Config{})
	udp, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	require.NoError(t, err)
	defer udp.Close()
	_, err = a.WriteHandle([]byte("p"), x)
	require.NoError(t, err)
	_, err = a.WriteHandle([]byte("u"), udp)
	require.NoError(t, err)
	require.NoError(t, x.Close())
	udpAddr := udp.LocalAddr().String()
	require.NoError(t, udp.Close())

	hs, data := readHandlesN(t, b, 2)
	assert.Equal(t, "pu", data)
	require.Equal(t, pipe.KindUnixConn, hs[0].Kind())
	require.Equal(t, pipe.KindUDP, hs[1].Kind())
	rp, err := hs[0].Pipe()
	require.NoError(t, err)
	defer rp.Close()
	_, err = y.Write([]byte("via pipe"))
	require.NoError(t, err)
	rp.SetDeadline(time.Now().Add(10 * time.Second))
	got := make([]byte, 8)
	_, err = io.ReadFull(rp, got)
	require.NoError(t, err)
	assert.Equal(t, "via pipe", string(got))

	pc, err := hs[1].PacketConn()
	require.NoError(t, err)
	defer pc.Close()
	assert.Equal(t, udpAddr, pc.LocalAddr().String())
	s, err := net.Dial("udp", udpAddr)
	require.NoError(t, err)
	defer s.Close()
	_, err = s.Write([]byte("datagram"))
	require.NoError(t, err)
	pc.SetDeadline(time.Now().Add(10 * time.Second))
	n, _, err := pc.ReadFrom(got)
	require.NoError(t, err)
	assert.Equal(t, "datagram", string(got[:n]))
}

// mixedHandles sends a TCP listener, a pipe, a UDP socket and a TCP
// connection back to back on a, and returns the types in order.
func mixedHandles(t *testing.T, a *pipe.Pipe) []uv.HandleType {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	x, _ := pairT(t, pipe.Config{})
	udp, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	require.NoError(t, err)
	defer udp.Close()
	conn, err := net.Dial("tcp", ln.Addr().String())
	require.NoError(t, err)
	defer conn.Close()
	for i, h := range []any{ln, x, udp, conn} {
		_, err := a.WriteHandle([]byte{byte('0' + i)}, h)
		require.NoError(t, err)
	}
	return []uv.HandleType{uv.TCPHandle, uv.NamedPipe, uv.UDPHandle, uv.TCPHandle}
}

// Handles sent back to back, of mixed types, arrive in order:
// by ReadHandles, and by OnHandle where the receiver drains the pending
// handles in a loop, each announced with its type before its data.
func TestMixedHandlesInOrder(t *testing.T) {
	a, b := pairT(t, pipe.Config{IPC: true})
	want := mixedHandles(t, a)
	hs, data := readHandlesN(t, b, 4)
	assert.Equal(t, "0123", data)
	var got []uv.HandleType
	for _, h := range hs {
		got = append(got, h.Kind().Type())
		h.Close()
	}
	assert.Equal(t, want, got)

	c, d := pairT(t, pipe.Config{IPC: true})
	want = mixedHandles(t, c)
	type event struct {
		typ  uv.HandleType
		data string
	}
	events := make(chan event, 16)
	d.OnHandle(func(typ uv.HandleType) {
		var target uv.IPCAcceptable
		var err error
		switch typ {
		case uv.TCPHandle:
			target, err = uv.NewTCP(nil)
		case uv.UDPHandle:
			target, err = uv.NewUDP(nil)
		default:
			target, err = pipe.Config{}.NewTarget()
		}
		if err == nil {
			if err = d.AcceptHandle(target); err == nil {
				target.IPCHandle().Close()
			}
		}
		if err != nil {
			events <- event{data: "accept failed: " + err.Error()}
		}
		events <- event{typ: typ}
	})
	require.NoError(t, d.OnRead(func(data []byte, err error) {
		if err == nil {
			events <- event{data: string(data)}
		}
	}))
	got = nil
	var gotData, order string
	for len(gotData) < 4 {
		select {
		case e := <-events:
			if e.data != "" {
				gotData += e.data
				order += "d"
			} else {
				got = append(got, e.typ)
				order += "h"
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("events so far: %v %q", got, gotData)
		}
	}
	require.NoError(t, d.OnRead(nil))
	assert.Equal(t, want, got)
	assert.Equal(t, "0123", gotData)
	assert.Equal(t, byte('h'), order[0], "a handle is announced before its data: %s", order)
	assert.Equal(t, 0, d.UV().PendingCount())
}

// Many fds in one SCM_RIGHTS message, sent with a raw
// sendmsg, into an IPC pipe whose read buffer is 1 byte: all of them arrive
// and can be taken.
func TestManyFDsOneMessageOneByteBuffer(t *testing.T) {
	raw, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	require.NoError(t, err)
	defer unix.Close(raw[1])
	b, err := pipe.Config{IPC: true, ReadBufferSize: 1}.Open(raw[0])
	require.NoError(t, err)
	defer b.Close()

	const n = 48 // 24 socket pairs; libuv's control buffer holds about 60
	var fds []int
	for i := 0; i < n/2; i++ {
		sp, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
		require.NoError(t, err)
		fds = append(fds, sp[0], sp[1])
	}
	err = unix.Sendmsg(raw[1], []byte("xyz"), unix.UnixRights(fds...), nil, 0)
	for _, fd := range fds {
		unix.Close(fd)
	}
	require.NoError(t, err)

	b.SetReadDeadline(time.Now().Add(10 * time.Second))
	buf := make([]byte, 8)
	var hs []*pipe.ReceivedHandle
	var data []byte
	for len(data) < 3 {
		k, got, err := b.ReadHandles(buf)
		require.NoError(t, err)
		data = append(data, buf[:k]...)
		hs = append(hs, got...)
	}
	assert.Equal(t, "xyz", string(data))
	require.Len(t, hs, n)
	// Take them: pairs of them are still connected to each other.
	for i := 0; i < n; i += 2 {
		p, err := hs[i].Pipe()
		require.NoError(t, err)
		q, err := hs[i+1].Pipe()
		require.NoError(t, err)
		_, err = p.Write([]byte{byte(i)})
		require.NoError(t, err)
		q.SetReadDeadline(time.Now().Add(10 * time.Second))
		one := make([]byte, 1)
		_, err = io.ReadFull(q, one)
		require.NoError(t, err)
		assert.Equal(t, byte(i), one[0])
		p.Close()
		q.Close()
	}
}

// The sender keeps its own copy (WriteHandle) and can go on
// using it, or hands it off by closing it after the write; both leave the
// receiver's copy working.
func TestSenderKeepsOrHandsOff(t *testing.T) {
	a, b := pairT(t, pipe.Config{IPC: true})
	x, y := pairT(t, pipe.Config{})
	_, err := a.WriteHandle([]byte("k"), x)
	require.NoError(t, err)
	hs, _ := readHandlesN(t, b, 1)
	rx, err := hs[0].Pipe()
	require.NoError(t, err)
	defer rx.Close()
	_, err = x.Write([]byte("sender"))
	require.NoError(t, err, "the sender's copy still works")
	_, err = rx.Write([]byte("receiver"))
	require.NoError(t, err)
	got := make([]byte, 14)
	_, err = io.ReadFull(y, got)
	require.NoError(t, err)
	assert.Equal(t, "senderreceiver", string(got))

	// Hand-off: the sender closes its copy right after the write.
	require.NoError(t, x.Close())
	_, err = rx.Write([]byte("alone"))
	require.NoError(t, err)
	got = make([]byte, 5)
	_, err = io.ReadFull(y, got)
	require.NoError(t, err)
	assert.Equal(t, "alone", string(got))
	require.NoError(t, rx.Close())
	_, err = y.Read(got)
	assert.Equal(t, io.EOF, err, "the peer ends once every copy is closed")
}

// A received handle is sent back (echo), and still works;
// and the in-process variant: the pipes on two loops, the handle accepted
// on a third.
func TestSendBackAndInProcessLoops(t *testing.T) {
	l1, l2, l3 := uvtest.NewLoop(t), uvtest.NewLoop(t), uvtest.NewLoop(t)
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	require.NoError(t, err)
	a, err := pipe.Config{IPC: true, Loop: l1}.Open(fds[0])
	require.NoError(t, err)
	defer a.Close()
	b, err := pipe.Config{IPC: true, Loop: l2}.Open(fds[1])
	require.NoError(t, err)
	defer b.Close()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	_, err = a.WriteHandle([]byte("there"), ln)
	require.NoError(t, err)
	require.NoError(t, ln.Close())

	hs, _ := readHandlesN(t, b, 1)
	tcp, err := uv.NewTCP(l2)
	require.NoError(t, err)
	require.NoError(t, hs[0].AcceptInto(tcp))
	_, err = b.WriteHandle([]byte("back"), tcp) // echo it
	require.NoError(t, err)
	require.NoError(t, tcp.Close())

	back, _ := readHandlesN(t, a, 1)
	on3, err := uv.NewTCP(l3)
	require.NoError(t, err)
	defer on3.Close()
	require.NoError(t, back[0].AcceptInto(on3), "accepted into a handle on another loop")
	c, err := net.DialTimeout("tcp", addr, 10*time.Second)
	require.NoError(t, err)
	defer c.Close()
	on3.SetReadDeadline(time.Now().Add(10 * time.Second))
	require.NoError(t, on3.Listen(0), "libuv listens again on a received listener, as Node does")
	conn, err := on3.Accept()
	require.NoError(t, err, "the listener went there and back and still accepts")
	conn.Close()
}

// Two servers bound to the same port (not listening yet) are
// sent; the receiver listens on the first, the second is EADDRINUSE.
func TestSameAddressSentTwice(t *testing.T) {
	a, b := pairT(t, pipe.Config{IPC: true})
	s1, err := uv.NewTCP(nil)
	require.NoError(t, err)
	defer s1.Close()
	require.NoError(t, s1.Bind(&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)}))
	s2, err := uv.NewTCP(nil)
	require.NoError(t, err)
	defer s2.Close()
	require.NoError(t, s2.Bind(s1.LocalAddr()), "libuv binds with SO_REUSEADDR: nobody listens yet")
	_, err = a.WriteHandle([]byte("1"), s1)
	require.NoError(t, err)
	_, err = a.WriteHandle([]byte("2"), s2)
	require.NoError(t, err)

	hs, _ := readHandlesN(t, b, 2)
	var ts []*uv.TCP
	for _, h := range hs {
		tcp, err := uv.NewTCP(nil)
		require.NoError(t, err)
		defer tcp.Close()
		require.NoError(t, h.AcceptInto(tcp))
		ts = append(ts, tcp)
	}
	require.NoError(t, ts[0].Listen(0))
	assert.ErrorIs(t, ts[1].Listen(0), syscall.EADDRINUSE)
}

// A handle on a pipe that is not IPC is EINVAL; a closed
// handle is EBADF (a closed uv handle or Pipe; a closed Go socket is an
// error too); a handle with no bytes is refused; none of them is sent.
func TestWriteHandleErrors(t *testing.T) {
	plain, _ := pairT(t, pipe.Config{})
	x, _ := pairT(t, pipe.Config{})
	_, err := plain.WriteHandle([]byte("x"), x)
	assert.ErrorIs(t, err, syscall.EINVAL)

	a, b := pairT(t, pipe.Config{IPC: true})
	closed, _ := pairT(t, pipe.Config{})
	closed.Close()
	_, err = a.WriteHandle([]byte("x"), closed)
	assert.ErrorIs(t, err, syscall.EBADF)
	tcp, err := uv.NewTCP(nil)
	require.NoError(t, err)
	tcp.Close()
	_, err = a.WriteHandle([]byte("x"), tcp)
	assert.ErrorIs(t, err, syscall.EBADF)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ln.Close()
	_, err = a.WriteHandle([]byte("x"), ln)
	assert.Error(t, err)
	_, err = a.WriteHandle(nil, x)
	assert.Error(t, err, "a handle with no bytes")
	_, err = a.WriteHandle([]byte("x"), 42)
	assert.Error(t, err, "not a handle")

	_, err = a.Write([]byte("end"))
	require.NoError(t, err)
	n, hs, err := b.ReadHandles(make([]byte, 8))
	require.NoError(t, err)
	assert.Empty(t, hs, "no failed write sent its handle")
	assert.Equal(t, 3, n, "nor its bytes")
}

// Handles received but never taken (passed over by a plain
// Read, or left pending under an OnRead handler) are closed when the pipe
// closes: the fd count (/proc/self/fd) comes back.
func TestUntakenHandlesClosedWithPipe(t *testing.T) {
	before := countFDs(t)
	for _, style := range []string{"read", "onread"} {
		a, b, err := pipe.SocketPair()
		require.NoError(t, err)
		for i := 0; i < 10; i++ {
			x, y, err := pipe.Config{}.SocketPair()
			require.NoError(t, err)
			_, err = a.WriteHandle([]byte{'h'}, x)
			require.NoError(t, err)
			x.Close()
			y.Close()
		}
		var data []byte
		if style == "read" {
			b.SetReadDeadline(time.Now().Add(10 * time.Second))
			buf := make([]byte, 64)
			for len(data) < 10 {
				n, err := b.Read(buf)
				require.NoError(t, err)
				data = append(data, buf[:n]...)
			}
		} else {
			got := make(chan int, 64)
			require.NoError(t, b.OnRead(func(d []byte, err error) { got <- len(d) }))
			for n := 0; n < 10; {
				select {
				case k := <-got:
					n += k
				case <-time.After(10 * time.Second):
					t.Fatal("no data")
				}
			}
			assert.Positive(t, b.UV().PendingCount(), "the handles are pending")
		}
		assert.Greater(t, countFDs(t), before+2, "%s: the received fds are open while the pipe is", style)
		a.Close()
		b.Close()
		assert.Equal(t, before, countFDs(t), "%s: untaken handles closed with the pipe", style)
	}
}

// Fds sent (with a raw sendmsg) to a pipe that is not IPC
// are not leaked into the receiver: it reads the bytes and the kernel
// drops the fds.
func TestFDsToNonIPCPipeNotLeaked(t *testing.T) {
	raw, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	require.NoError(t, err)
	defer unix.Close(raw[1])
	b, err := pipe.Config{}.Open(raw[0])
	require.NoError(t, err)
	defer b.Close()
	before := countFDs(t)
	sp, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	require.NoError(t, err)
	require.NoError(t, unix.Sendmsg(raw[1], []byte("fds"), unix.UnixRights(sp[0], sp[1]), nil, 0))
	unix.Close(sp[0])
	unix.Close(sp[1])
	b.SetReadDeadline(time.Now().Add(10 * time.Second))
	got := make([]byte, 3)
	_, err = io.ReadFull(b, got)
	require.NoError(t, err)
	assert.Equal(t, "fds", string(got))
	assert.Equal(t, before, countFDs(t), "no fd arrived in this process")
}

// cloexec reports whether fd has FD_CLOEXEC.
func cloexec(t *testing.T, fd int) bool {
	fl, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0)
	require.NoError(t, err)
	return fl&unix.FD_CLOEXEC != 0
}

// Received fds are close-on-exec (libuv's MSG_CMSG_CLOEXEC):
// the fd a received pipe holds, the fd uv_accept moves into a target, and
// a File made from a handle.
func TestReceivedFDsAreCloseOnExec(t *testing.T) {
	a, b := pairT(t, pipe.Config{IPC: true})
	// The sent fds are not close-on-exec: the flag must come from the receive.
	sp, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	require.NoError(t, err)
	defer unix.Close(sp[1])
	require.False(t, cloexec(t, sp[0]))
	f := os.NewFile(uintptr(sp[0]), "sp0")
	defer f.Close()
	for i := 0; i < 2; i++ {
		_, err = a.WriteHandle([]byte{'0' + byte(i)}, f)
		require.NoError(t, err)
	}
	hs, _ := readHandlesN(t, b, 2)
	p, err := hs[0].Pipe()
	require.NoError(t, err)
	defer p.Close()
	assert.True(t, cloexec(t, p.UV().Fd()), "the fd a received pipe holds")
	rf, err := hs[1].File()
	require.NoError(t, err)
	defer rf.Close()
	assert.True(t, cloexec(t, int(rf.Fd())), "File")

	// The third by uv_accept into a target (OnHandle/Accept).
	fdc := make(chan int, 1)
	b.OnHandle(func(typ uv.HandleType) {
		tgt, err := pipe.Config{}.NewTarget()
		if err != nil {
			return
		}
		if err := b.AcceptHandle(tgt); err == nil {
			fdc <- tgt.UV().Fd()
			fl, _ := unix.FcntlInt(uintptr(tgt.UV().Fd()), unix.F_GETFD, 0)
			fdc <- fl
			tgt.UV().Close()
		}
	})
	require.NoError(t, b.OnRead(func([]byte, error) {}))
	_, err = a.WriteHandle([]byte("2"), f)
	require.NoError(t, err)
	select {
	case <-fdc:
		fl := <-fdc
		assert.NotZero(t, fl&unix.FD_CLOEXEC, "the fd accepted into a target")
	case <-time.After(10 * time.Second):
		t.Fatal("no handle")
	}
	require.NoError(t, b.OnRead(nil))
}

func init() {
	children["send-handles-and-exit"] = func() int {
		ipc, err := pipe.Config{IPC: true}.Open(3)
		if err != nil {
			return 2
		}
		for i := 0; i < 20; i++ {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				return 3
			}
			if _, err := ipc.WriteHandle([]byte(fmt.Sprint(i%10)), ln); err != nil {
				return 4
			}
			ln.Close()
		}
		os.Exit(0) // with the handles still queued in the parent's socket
		return 0
	}
	children["exit-at-once"] = func() int { return 0 }
}

// A peer that exits with handles queued: the receiver gets
// the handles it can and then io.EOF or ECONNRESET, never a crash or a
// leak; sending handles to a peer that has exited fails with EPIPE or
// ECONNRESET (or succeeds before it noticed), never a crash.
func TestPeerExitsWithHandlesQueued(t *testing.T) {
	before := countFDs(t)
	ipc, child := startChild(t, "send-handles-and-exit")
	require.NoError(t, child.Wait())
	ipc.SetReadDeadline(time.Now().Add(10 * time.Second))
	buf := make([]byte, 64)
	var hs []*pipe.ReceivedHandle
	var err error
	for err == nil {
		var got []*pipe.ReceivedHandle
		var n int
		n, got, err = ipc.ReadHandles(buf)
		_ = n
		hs = append(hs, got...)
	}
	t.Logf("after %d handles: %v", len(hs), err)
	if err != io.EOF {
		assert.ErrorIs(t, err, syscall.ECONNRESET)
	}
	// Everything sent before the exit arrives (libuv 1.44 alone would end the
	// stream after the first handle: see uv's TestManyHandlesThenPeerCloses).
	assert.Len(t, hs, 20)
	for _, h := range hs {
		h.Close()
	}
	ipc.Close()
	assert.Equal(t, before, countFDs(t))

	ipc2, child2 := startChild(t, "exit-at-once")
	require.NoError(t, child2.Wait())
	for i := 0; i < 20; i++ {
		x, y, err := pipe.Config{}.SocketPair()
		require.NoError(t, err)
		_, werr := ipc2.WriteHandle([]byte("h"), x)
		x.Close()
		y.Close()
		if werr != nil {
			assert.True(t, errors.Is(werr, syscall.EPIPE) || errors.Is(werr, syscall.ECONNRESET), "%v", werr)
			break
		}
	}
}
