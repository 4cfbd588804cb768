//go:build !windows

package pipe_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/internal/interop"
	"github.com/uvpipe/uvpipe/pipe"
	"github.com/uvpipe/uvpipe/uv"
)

// Tests against a real Bare process: the pinned bare runs
// interop/pipe-peer.js, which opens its fd 3 (one end of a socket pair Go
// made) with bare-pipe as an IPC pipe.

// startBare runs interop/pipe-peer.js with args under the pinned bare and
// returns Go's end of its IPC pipe.
func startBare(t *testing.T, args ...string) (*pipe.Pipe, *peerProc) {
	t.Helper()
	bare := interop.Bare(t)
	interop.Module(t, "bare-pipe")
	interop.Module(t, "bare-tcp")
	return startPeerProc(t, "bare pipe-peer.js", interop.Dir(t), nil, bare, append([]string{"pipe-peer.js"}, args...)...)
}

// conn is what the tests talk through: a net.Conn, a *pipe.Pipe or a *uv.TCP.
type conn interface {
	io.ReadWriteCloser
	SetReadDeadline(time.Time) error
	CloseWrite() error
}

// testListeners makes a TCP listener on 127.0.0.1 and a unix socket
// listener, closed when the test ends.
func testListeners(t *testing.T) (*net.TCPListener, *net.UnixListener) {
	t.Helper()
	tl, err := net.ListenTCP("tcp", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)})
	require.NoError(t, err)
	t.Cleanup(func() { tl.Close() })
	ul, err := net.ListenUnix("unix", &net.UnixAddr{Name: filepath.Join(t.TempDir(), "go.sock"), Net: "unix"})
	require.NoError(t, err)
	t.Cleanup(func() { ul.Close() })
	return tl, ul
}

type deadliner interface {
	net.Listener
	SetDeadline(time.Time) error
}

// acceptOne accepts one connection on ln, waiting at most ioTimeout.
func acceptOne(t *testing.T, ln deadliner) conn {
	t.Helper()
	require.NoError(t, ln.SetDeadline(time.Now().Add(ioTimeout)))
	c, err := ln.Accept()
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c.(conn)
}

// pingServer accepts n connections on ln; from each it reads until EOF,
// answers "echo: " and what it read, closes, and sends what it read (or what
// failed) on the channel it returns.
func pingServer(ln deadliner, n int) <-chan string {
	got := make(chan string, n)
	go func() {
		ln.SetDeadline(time.Now().Add(ioTimeout))
		for i := 0; i < n; i++ {
			c, err := ln.Accept()
			if err != nil {
				got <- "accept: " + err.Error()
				continue
			}
			go func() {
				defer c.Close()
				c.SetDeadline(time.Now().Add(ioTimeout))
				b, err := io.ReadAll(c)
				if err != nil {
					got <- "read: " + err.Error()
					return
				}
				c.Write(append([]byte("echo: "), b...))
				got <- string(b)
			}()
		}
	}()
	return got
}

func collect(t *testing.T, ch <-chan string, n int) []string {
	t.Helper()
	var out []string
	for i := 0; i < n; i++ {
		select {
		case s := <-ch:
			out = append(out, s)
		case <-time.After(ioTimeout):
			t.Fatalf("only %d of %d results came: %q", i, n, out)
		}
	}
	return out
}

// Go sends four connected sockets to Bare, each with its own bytes: an
// accepted-side *net.TCPConn's peer (a dialed *net.TCPConn), a dialed
// *net.UnixConn, a *uv.TCP dialed with libuv and a *pipe.Pipe. Bare sees
// 'handle' events of type 12, 7, 12, 7, accepts them synchronously into a
// bare-tcp Socket and a bare-pipe Pipe, writes 'ping <i>' through each and
// reads the Go server's echo, and reports over the IPC pipe.
func TestBareAcceptsHandlesFromGo(t *testing.T) {
	ipc, proc := startBare(t, "accept")
	tl, ul := testListeners(t)
	tcpGot := pingServer(tl, 2)
	unixGot := pingServer(ul, 2)
	ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
	defer cancel()

	c0, err := net.DialTCP("tcp", nil, tl.Addr().(*net.TCPAddr))
	require.NoError(t, err)
	_, err = ipc.WriteHandle([]byte("go-tcpconn;"), c0)
	require.NoError(t, err)
	require.NoError(t, c0.Close(), "the sender closes its own copy")

	c1, err := net.DialUnix("unix", nil, ul.Addr().(*net.UnixAddr))
	require.NoError(t, err)
	_, err = ipc.WriteHandle([]byte("go-unixconn;"), c1)
	require.NoError(t, err)
	require.NoError(t, c1.Close())

	c2, err := uv.DialTCP(ctx, nil, tl.Addr())
	require.NoError(t, err)
	_, err = ipc.WriteHandle([]byte("uv-tcp;"), c2)
	require.NoError(t, err)
	require.NoError(t, c2.Close())

	c3, err := pipe.Dial(ctx, ul.Addr().String())
	require.NoError(t, err)
	_, err = ipc.WriteHandle([]byte("pipe;"), c3)
	require.NoError(t, err)
	require.NoError(t, c3.Close())
	require.NoError(t, ipc.CloseWrite())

	type handleReport struct {
		I    int
		Type int
		Kind string
		Got  string
	}
	var reports []handleReport
	var final struct {
		Log  []string
		Data string
	}
	require.NoError(t, ipc.SetReadDeadline(time.Now().Add(ioTimeout)))
	sc := bufio.NewScanner(ipc)
	for sc.Scan() {
		line := sc.Bytes()
		if bytes.HasPrefix(line, []byte(`{"log"`)) {
			require.NoError(t, json.Unmarshal(line, &final), "%s", line)
			continue
		}
		var r handleReport
		require.NoError(t, json.Unmarshal(line, &r), "%s", line)
		reports = append(reports, r)
	}
	require.NoError(t, sc.Err())
	require.NoError(t, proc.Wait())

	assert.ElementsMatch(t, []string{"ping 0", "ping 2"}, collect(t, tcpGot, 2), "what Bare wrote on the TCP sockets")
	assert.ElementsMatch(t, []string{"ping 1", "ping 3"}, collect(t, unixGot, 2), "what Bare wrote on the unix sockets")
	assert.ElementsMatch(t, []handleReport{
		{0, 12, "TCPSocket", "echo: ping 0"},
		{1, 7, "Pipe", "echo: ping 1"},
		{2, 12, "TCPSocket", "echo: ping 2"},
		{3, 7, "Pipe", "echo: ping 3"},
	}, reports)
	assert.Equal(t, "go-tcpconn;go-unixconn;uv-tcp;pipe;", final.Data)
	var types []string
	for _, e := range final.Log {
		if strings.HasPrefix(e, "H") {
			types = append(types, e)
		}
	}
	assert.Equal(t, []string{"H12", "H7", "H12", "H7"}, types, "'handle' events in arrival order")
	if assert.NotEmpty(t, final.Log) {
		assert.Equal(t, "H12", final.Log[0], "the first 'handle' event comes before any data")
	}
}

// arrival is a handle Go received from Bare, with the bytes that came with
// it: a *pipe.ReceivedHandle (ReadHandles) or a uv handle it was accepted into
// (OnHandle).
type arrival struct {
	tag    string
	typ    uv.HandleType
	h      *pipe.ReceivedHandle
	target uv.IPCAcceptable
}

// readArrivals reads the IPC pipe to its end with ReadHandles.
func readArrivals(t *testing.T, ipc *pipe.Pipe) []*arrival {
	t.Helper()
	var out []*arrival
	buf := make([]byte, 256)
	require.NoError(t, ipc.SetReadDeadline(time.Now().Add(ioTimeout)))
	for {
		n, hs, err := ipc.ReadHandles(buf)
		for _, h := range hs {
			t.Cleanup(func() { h.Close() })
			out = append(out, &arrival{typ: h.Kind().Type(), h: h})
		}
		if n > 0 {
			require.NotEmpty(t, out, "bytes %q before any handle", buf[:n])
			out[len(out)-1].tag += string(buf[:n])
		}
		if err == io.EOF {
			return out
		}
		require.NoError(t, err)
	}
}

// acceptByType accepts the first pending handle on p into a new target of
// its type (a *uv.TCP or a *pipe.Pipe), as a bare-pipe 'handle' listener
// does with new tcp.Socket() or new Pipe().
func acceptByType(p *pipe.Pipe, typ uv.HandleType) (conn, error) {
	var c conn
	var err error
	switch typ {
	case uv.TCPHandle:
		c, err = uv.NewTCP(nil)
	case uv.NamedPipe:
		c, err = pipe.Config{}.NewTarget()
	default:
		return nil, fmt.Errorf("unexpected handle type %v", typ)
	}
	if err != nil {
		return nil, err
	}
	if err := p.AcceptHandle(c.(uv.IPCAcceptable)); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// acceptArrivals reads the IPC pipe to its end bare-pipe's way (OnHandle
// with OnRead): each handle is accepted in the 'handle' event with
// acceptByType. It returns the handles with the bytes that followed each, and
// all the bytes.
func acceptArrivals(t *testing.T, ipc *pipe.Pipe) ([]*arrival, string) {
	t.Helper()
	var mu sync.Mutex
	var out []*arrival
	var data []byte
	var problems []string
	ended := make(chan error, 1)
	ipc.OnHandle(func(typ uv.HandleType) {
		c, err := acceptByType(ipc, typ)
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			problems = append(problems, err.Error())
			return
		}
		out = append(out, &arrival{typ: typ, target: c.(uv.IPCAcceptable)})
	})
	require.NoError(t, ipc.OnRead(func(b []byte, err error) {
		if err != nil {
			ended <- err
			return
		}
		mu.Lock()
		defer mu.Unlock()
		data = append(data, b...)
		if len(out) > 0 {
			out[len(out)-1].tag += string(b)
		}
	}))
	select {
	case err := <-ended:
		require.ErrorIs(t, err, io.EOF)
	case <-time.After(ioTimeout):
		t.Fatal("the IPC pipe did not end")
	}
	mu.Lock()
	defer mu.Unlock()
	for _, a := range out {
		h := a.target.IPCHandle()
		t.Cleanup(func() { h.Close() })
	}
	require.Empty(t, problems)
	return out, string(data)
}

// talk checks that bytes go both ways between a and b.
func talk(t *testing.T, a, b conn) {
	t.Helper()
	require.NoError(t, a.SetReadDeadline(time.Now().Add(ioTimeout)))
	require.NoError(t, b.SetReadDeadline(time.Now().Add(ioTimeout)))
	_, err := a.Write([]byte("hello from the received end"))
	require.NoError(t, err)
	got := make([]byte, len("hello from the received end"))
	_, err = io.ReadFull(b, got)
	require.NoError(t, err)
	assert.Equal(t, "hello from the received end", string(got))
	_, err = b.Write([]byte("hello back"))
	require.NoError(t, err)
	got = make([]byte, len("hello back"))
	_, err = io.ReadFull(a, got)
	require.NoError(t, err)
	assert.Equal(t, "hello back", string(got))
}

// Bare sends Go a bare-tcp Socket connected to a Go TCP listener, a bare-pipe
// Pipe connected to a Go unix listener, and a listening bare-tcp server; it
// closes its own copies. Go takes them three ways: ReadHandles and Go's own
// types (net.Conn, net.Listener); ReadHandles and AcceptInto uv handles; and
// OnHandle with Accept into uv handles, as bare-pipe's 'handle' listener
// does. Then it talks through each.
//
// bare-tcp 2.6.1's Server does not implement the IPC handle protocol (bare-
// pipe refuses it with INVALID_IPC_TARGET); the peer sends the listener
// through an object whose Symbol.for('bare.ipc.handle') is the server's handle.
func TestBareSendsHandlesToGo(t *testing.T) {
	for _, mode := range []string{"net", "AcceptInto", "OnHandle"} {
		t.Run(mode, func(t *testing.T) {
			tl, ul := testListeners(t)
			ipc, proc := startBare(t, "send", fmt.Sprint(tl.Addr().(*net.TCPAddr).Port), ul.Addr().String())
			var arrivals []*arrival
			if mode == "OnHandle" {
				var data string
				arrivals, data = acceptArrivals(t, ipc)
				require.True(t, len(arrivals) > 0 && strings.HasPrefix(data, arrivals[0].tag), "bytes %q before any handle", data)
			} else {
				arrivals = readArrivals(t, ipc)
			}
			require.NoError(t, ipc.Close(), "Bare exits once its IPC pipe ends")
			require.NoError(t, proc.Wait())

			require.Len(t, arrivals, 3)
			assert.Equal(t, "tcp-conn", arrivals[0].tag)
			assert.Equal(t, uv.TCPHandle, arrivals[0].typ)
			assert.Equal(t, "unix-conn", arrivals[1].tag)
			assert.Equal(t, uv.NamedPipe, arrivals[1].typ)
			var port int
			var code string
			_, err := fmt.Sscanf(arrivals[2].tag, "listener %d %s", &port, &code)
			require.NoError(t, err, "tag %q", arrivals[2].tag)
			assert.Equal(t, "INVALID_IPC_TARGET", code, "bare-pipe refuses a bare-tcp Server")
			assert.Equal(t, uv.TCPHandle, arrivals[2].typ)

			talk(t, receivedConn(t, mode, arrivals[0]), acceptOne(t, tl))
			talk(t, receivedConn(t, mode, arrivals[1]), acceptOne(t, ul))
			serveOnReceivedListener(t, mode, arrivals[2], port)
		})
	}
}

// receivedConn makes a connected socket that arrived into something to talk
// through, as mode says.
func receivedConn(t *testing.T, mode string, a *arrival) conn {
	t.Helper()
	switch mode {
	case "net":
		c, err := a.h.Conn()
		require.NoError(t, err)
		t.Cleanup(func() { c.Close() })
		switch a.typ {
		case uv.TCPHandle:
			require.IsType(t, &net.TCPConn{}, c)
		case uv.NamedPipe:
			require.IsType(t, &net.UnixConn{}, c)
		}
		return c.(conn)
	case "AcceptInto":
		var target conn
		switch a.typ {
		case uv.TCPHandle:
			tcp, err := uv.NewTCP(nil)
			require.NoError(t, err)
			target = tcp
		case uv.NamedPipe:
			p, err := pipe.Config{}.NewTarget()
			require.NoError(t, err)
			target = p
		default:
			t.Fatalf("unexpected handle type %v", a.typ)
		}
		t.Cleanup(func() { target.Close() })
		require.NoError(t, a.h.AcceptInto(target.(uv.IPCAcceptable)))
		return target
	default:
		return a.target.(conn)
	}
}

// serveOnReceivedListener accepts a connection on a listening socket that
// arrived (it must listen on port) and talks through it.
func serveOnReceivedListener(t *testing.T, mode string, a *arrival, port int) {
	t.Helper()
	addr := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: port}
	if mode == "net" {
		ln, err := a.h.Listener()
		require.NoError(t, err)
		t.Cleanup(func() { ln.Close() })
		require.Equal(t, addr.String(), ln.Addr().String())
		c, err := net.DialTCP("tcp", nil, addr)
		require.NoError(t, err)
		t.Cleanup(func() { c.Close() })
		talk(t, acceptOne(t, ln.(*net.TCPListener)), c)
		return
	}
	var tcp *uv.TCP
	if mode == "AcceptInto" {
		var err error
		tcp, err = uv.NewTCP(nil)
		require.NoError(t, err)
		t.Cleanup(func() { tcp.Close() })
		require.NoError(t, a.h.AcceptInto(tcp))
	} else {
		tcp = a.target.(*uv.TCP)
	}
	require.NoError(t, tcp.Listen(0), "a received listener is listened on again")
	require.Equal(t, addr.String(), tcp.LocalAddr().String())
	c, err := net.DialTCP("tcp", nil, addr)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	// The connection is queued already, so Accept does not wait.
	s, err := tcp.Accept()
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	talk(t, s, c)
}
