//go:build !windows

package pipe_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/pipe"
	"github.com/uvpipe/uvpipe/uv"
)

// bare-pipe 4.3.1's own test cases (test.js; the reference's §2.4 lists
// them), ported to Go against Go peers. Each test names the bare-pipe test.

func init() {
	children["barepipe-ipc-echo"] = ipcEchoChild
}

// ipcEchoChild is the receiving process of bare-pipe's "ipc, pipe handle
// pass" and "ipc, tcp handle pass": on fd 3, an IPC pipe, it accepts the
// handle that arrives in the 'handle' event (OnHandle) into a new Pipe or
// uv.TCP, writes 'ping' through it and reads the echo; once the parent has
// ended the IPC pipe it reports "<type> <data> <echo>" over it and exits.
func ipcEchoChild() int {
	fail := func(format string, args ...any) int {
		fmt.Fprintf(os.Stderr, "barepipe-ipc-echo: "+format+"\n", args...)
		return 1
	}
	ipc, err := pipe.Config{IPC: true}.Open(3)
	if err != nil {
		return fail("open fd 3: %v", err)
	}
	defer ipc.Close()
	type accepted struct {
		typ uv.HandleType
		c   conn
		err error
	}
	got := make(chan accepted, 8)
	ipc.OnHandle(func(typ uv.HandleType) {
		c, err := acceptByType(ipc, typ)
		got <- accepted{typ, c, err}
	})
	var data []byte
	ended := make(chan error, 1)
	err = ipc.OnRead(func(b []byte, err error) {
		if err != nil {
			ended <- err
			return
		}
		data = append(data, b...)
	})
	if err != nil {
		return fail("OnRead: %v", err)
	}
	var a accepted
	select {
	case a = <-got:
	case <-time.After(ioTimeout):
		return fail("no handle came")
	}
	if a.err != nil {
		return fail("accept: %v", a.err)
	}
	defer a.c.Close()
	if _, err := a.c.Write([]byte("ping")); err != nil {
		return fail("write ping: %v", err)
	}
	a.c.SetReadDeadline(time.Now().Add(ioTimeout))
	echo := make([]byte, 4)
	if _, err := io.ReadFull(a.c, echo); err != nil {
		return fail("read the echo: %v", err)
	}
	select {
	case err := <-ended:
		if err != io.EOF {
			return fail("IPC pipe: %v", err)
		}
	case <-time.After(ioTimeout):
		return fail("the IPC pipe did not end")
	}
	if len(got) != 0 {
		return fail("more than one handle came")
	}
	if _, err := fmt.Fprintf(ipc, "%d %s %s", a.typ, data, echo); err != nil {
		return fail("report: %v", err)
	}
	if err := ipc.CloseWrite(); err != nil {
		return fail("end: %v", err)
	}
	return 0
}

// echoOnce accepts one connection on ln and echoes it until EOF; it sends
// what it echoed (or what failed) on the channel it returns.
func echoOnce(ln net.Listener) <-chan string {
	out := make(chan string, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			out <- "accept: " + err.Error()
			return
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(ioTimeout))
		var seen []byte
		buf := make([]byte, 64)
		for {
			n, err := c.Read(buf)
			seen = append(seen, buf[:n]...)
			if n > 0 {
				if _, err := c.Write(buf[:n]); err != nil {
					out <- "write: " + err.Error()
					return
				}
			}
			if err == io.EOF {
				out <- string(seen)
				return
			}
			if err != nil {
				out <- "read: " + err.Error()
				return
			}
		}
	}()
	return out
}

// handlePassToChild sends h with 'here' to the ipc-echo child, closes the
// sender's copy after the write, ends the IPC pipe and returns the child's
// report.
func handlePassToChild(t *testing.T, h io.Closer) string {
	t.Helper()
	ipc, proc := startChild(t, "barepipe-ipc-echo")
	_, err := ipc.WriteHandle([]byte("here"), h)
	require.NoError(t, err)
	require.NoError(t, h.Close(), "the sender destroys its copy after the write")
	require.NoError(t, ipc.CloseWrite())
	report := readToEnd(t, ipc)
	require.NoError(t, proc.Wait())
	return report
}

func waitString(t *testing.T, ch <-chan string) string {
	t.Helper()
	select {
	case s := <-ch:
		return s
	case <-time.After(ioTimeout):
		t.Fatal("timed out")
		return ""
	}
}

// bare-pipe: "ipc, pipe handle pass". A pipe connected to an echo server goes
// with 'here' to another process, which gets a 'handle' of type NAMED_PIPE,
// accepts it into a new Pipe, writes 'ping' and reads the echo.
func TestBarePipeIPCPipeHandlePass(t *testing.T) {
	srv, err := pipe.Listen(filepath.Join(t.TempDir(), "echo.sock"))
	require.NoError(t, err)
	defer srv.Close()
	echoed := echoOnce(srv)
	ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
	defer cancel()
	c, err := pipe.Dial(ctx, srv.Addr().String())
	require.NoError(t, err)
	assert.Equal(t, fmt.Sprintf("%d here ping", uv.NamedPipe), handlePassToChild(t, c))
	assert.Equal(t, "ping", waitString(t, echoed))
}

// bare-pipe: "ipc, tcp handle pass". The same with a TCP socket (here Go's
// own *net.TCPConn): type TCP, accepted into a TCP handle.
func TestBarePipeIPCTCPHandlePass(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	echoed := echoOnce(ln)
	c, err := net.Dial("tcp", ln.Addr().String())
	require.NoError(t, err)
	assert.Equal(t, fmt.Sprintf("%d here ping", uv.TCPHandle), handlePassToChild(t, c))
	assert.Equal(t, "ping", waitString(t, echoed))
}

// receiveByHandleEvents reads b to its end bare-pipe's way (acceptArrivals)
// and returns the types announced, the targets accepted and the data.
func receiveByHandleEvents(t *testing.T, b *pipe.Pipe) ([]uv.HandleType, []conn, string) {
	t.Helper()
	arrivals, data := acceptArrivals(t, b)
	var types []uv.HandleType
	var targets []conn
	for _, a := range arrivals {
		types = append(types, a.typ)
		targets = append(targets, a.target.(conn))
	}
	return types, targets, data
}

// bare-pipe: "ipc, multiple pending handles drain in order". Three handles
// (pipe, tcp, pipe) written before the receiver reads are announced as
// NAMED_PIPE, TCP, NAMED_PIPE and each accepted in turn; each accepted
// handle is the socket that was sent.
func TestBarePipeIPCMultiplePendingHandlesDrainInOrder(t *testing.T) {
	a, b := socketPair(t)
	x1, y1 := plainPair(t)
	x2, y2 := plainPair(t)
	tl, _ := testListeners(t)
	tc, err := net.DialTCP("tcp", nil, tl.Addr().(*net.TCPAddr))
	require.NoError(t, err)
	defer tc.Close()
	tpeer := acceptOne(t, tl)

	_, err = a.WriteHandle([]byte("1"), x1)
	require.NoError(t, err)
	_, err = a.WriteHandle([]byte("2"), tc)
	require.NoError(t, err)
	_, err = a.WriteHandle([]byte("3"), x2)
	require.NoError(t, err)
	require.NoError(t, a.CloseWrite())

	types, targets, data := receiveByHandleEvents(t, b)
	assert.Equal(t, []uv.HandleType{uv.NamedPipe, uv.TCPHandle, uv.NamedPipe}, types)
	assert.Equal(t, "123", data)
	require.Len(t, targets, 3)
	talk(t, targets[0], y1)
	talk(t, targets[1], tpeer)
	talk(t, targets[2], y2)
}

// plainPair is a non-IPC socket pair, closed when the test ends.
func plainPair(t *testing.T) (*pipe.Pipe, *pipe.Pipe) {
	t.Helper()
	a, b, err := pipe.Config{}.SocketPair()
	require.NoError(t, err)
	t.Cleanup(func() { a.Close(); b.Close() })
	return a, b
}

// bare-pipe: "ipc, handle and data writes in the same batch". 'one',
// 'two' with a pipe handle, 'three', end('four'): exactly one 'handle'
// (NAMED_PIPE) and the data 'onetwothreefour' in order, bare-pipe's way and
// Go's (ReadHandles, where the handle stands before 'two' or earlier).
func TestBarePipeIPCHandleAndDataWritesInTheSameBatch(t *testing.T) {
	send := func(t *testing.T) (*pipe.Pipe, *pipe.Pipe) {
		a, b := socketPair(t)
		x, y := plainPair(t)
		_, err := a.Write([]byte("one"))
		require.NoError(t, err)
		_, err = a.WriteHandle([]byte("two"), x)
		require.NoError(t, err)
		require.NoError(t, x.Close(), "the sender closes its copy")
		_, err = a.Write([]byte("three"))
		require.NoError(t, err)
		_, err = a.Write([]byte("four"))
		require.NoError(t, err)
		require.NoError(t, a.CloseWrite())
		return b, y
	}
	t.Run("OnHandle", func(t *testing.T) {
		b, y := send(t)
		types, targets, data := receiveByHandleEvents(t, b)
		assert.Equal(t, []uv.HandleType{uv.NamedPipe}, types)
		assert.Equal(t, "onetwothreefour", data)
		require.Len(t, targets, 1)
		talk(t, targets[0], y)
	})
	t.Run("ReadHandles", func(t *testing.T) {
		b, y := send(t)
		var data string
		var hs []*pipe.ReceivedHandle
		at := -1
		buf := make([]byte, 64)
		require.NoError(t, b.SetReadDeadline(time.Now().Add(ioTimeout)))
		for {
			n, got, err := b.ReadHandles(buf)
			for _, h := range got {
				t.Cleanup(func() { h.Close() })
				at = len(data)
			}
			hs = append(hs, got...)
			data += string(buf[:n])
			if err == io.EOF {
				break
			}
			require.NoError(t, err)
		}
		assert.Equal(t, "onetwothreefour", data)
		require.Len(t, hs, 1)
		assert.Equal(t, uv.NamedPipe, hs[0].Kind().Type())
		assert.LessOrEqual(t, at, len("one"), "the handle comes before 'two'")
		p, err := hs[0].Pipe()
		require.NoError(t, err)
		defer p.Close()
		talk(t, p, y)
	})
}

// bare-pipe: "write with a handle on a non-ipc pipe". bare-pipe destroys the
// stream with EINVAL; here the write fails with EINVAL, nothing of it is
// sent, and the pipe goes on working.
func TestBarePipeWriteWithAHandleOnANonIPCPipe(t *testing.T) {
	a, b := plainPair(t)
	x, _ := plainPair(t)
	tl, _ := testListeners(t)
	tc, err := net.DialTCP("tcp", nil, tl.Addr().(*net.TCPAddr))
	require.NoError(t, err)
	defer tc.Close()

	_, err = a.WriteHandle([]byte("pipe"), x)
	assert.ErrorIs(t, err, syscall.EINVAL)
	_, err = a.WriteHandle([]byte("tcp"), tc)
	assert.ErrorIs(t, err, syscall.EINVAL)
	_, err = a.Write([]byte("after"))
	require.NoError(t, err)
	require.NoError(t, a.CloseWrite())
	assert.Equal(t, "after", readToEnd(t, b))
}

// bare-pipe: "immediate destroy". The client is closed as soon as it has
// connected; the server side reads the end and closes.
func TestBarePipeImmediateDestroy(t *testing.T) {
	srv, err := pipe.Listen(filepath.Join(t.TempDir(), "s.sock"))
	require.NoError(t, err)
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
	defer cancel()
	c, err := pipe.Dial(ctx, srv.Addr().String())
	require.NoError(t, err)
	require.NoError(t, c.Close())

	s, err := srv.Accept()
	require.NoError(t, err)
	require.NoError(t, s.SetReadDeadline(time.Now().Add(ioTimeout)))
	n, err := s.Read(make([]byte, 16))
	assert.Equal(t, 0, n)
	assert.Equal(t, io.EOF, err)
	assert.NoError(t, s.Close())
}

// bare-pipe: "server + client", "server + client, only server writes" and
// "server + client, only client writes". A side with something to say writes
// it and ends, then reads to the end; a side with nothing reads to the end,
// then ends. Both see the other's data, the end, and close cleanly.
func TestBarePipeServerClient(t *testing.T) {
	for _, tc := range []struct{ name, server, client string }{
		{"server + client", "hello client", "hello server"},
		{"only server writes", "hello client", ""},
		{"only client writes", "", "hello server"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, err := pipe.Listen(filepath.Join(t.TempDir(), "s.sock"))
			require.NoError(t, err)
			defer srv.Close()
			type result struct {
				got string
				err error
			}
			server := make(chan result, 1)
			go func() {
				s, err := srv.Accept()
				if err != nil {
					server <- result{err: err}
					return
				}
				got, err := converse(s.(conn), tc.server)
				server <- result{got, err}
			}()
			ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
			defer cancel()
			c, err := pipe.Dial(ctx, srv.Addr().String())
			require.NoError(t, err)
			got, err := converse(c, tc.client)
			require.NoError(t, err)
			assert.Equal(t, tc.server, got, "the client reads")
			select {
			case r := <-server:
				require.NoError(t, r.err)
				assert.Equal(t, tc.client, r.got, "the server reads")
			case <-time.After(ioTimeout):
				t.Fatal("the server side did not finish")
			}
		})
	}
}

// converse is one side of the server + client tests; it closes p.
func converse(p conn, say string) (string, error) {
	defer p.Close()
	p.SetReadDeadline(time.Now().Add(ioTimeout))
	if say != "" {
		if _, err := p.Write([]byte(say)); err != nil {
			return "", err
		}
		if err := p.CloseWrite(); err != nil {
			return "", err
		}
	}
	got, err := io.ReadAll(p)
	if err != nil {
		return string(got), err
	}
	if say == "" {
		if err := p.CloseWrite(); err != nil {
			return string(got), err
		}
	}
	return string(got), p.Close()
}

// readToEnd reads c to its end, waiting at most ioTimeout.
func readToEnd(t *testing.T, c conn) string {
	t.Helper()
	require.NoError(t, c.SetReadDeadline(time.Now().Add(ioTimeout)))
	got, err := io.ReadAll(c)
	require.NoError(t, err)
	return string(got)
}

// bare-pipe: "pipe". A one-way OS pipe carries 'hello pipe' from its write
// end to its read end, which then reads the end.
func TestBarePipePipe(t *testing.T) {
	r, w, err := pipe.OSPipe()
	require.NoError(t, err)
	defer r.Close()
	defer w.Close()
	_, err = io.WriteString(w, "hello pipe")
	require.NoError(t, err)
	require.NoError(t, w.Close(), "closing the write end ends the read end")
	assert.Equal(t, "hello pipe", readToEnd(t, r))
}

// bare-pipe: "ipc, data only". Two IPC ends of a socket pair carry plain
// data both ways, with no handles.
func TestBarePipeIPCDataOnly(t *testing.T) {
	a, b := socketPair(t)
	for _, dir := range []struct {
		from, to *pipe.Pipe
		msg      string
	}{{a, b, "hello from a"}, {b, a, "hello from b"}} {
		_, err := dir.from.Write([]byte(dir.msg))
		require.NoError(t, err)
		require.NoError(t, dir.from.CloseWrite())
		require.NoError(t, dir.to.SetReadDeadline(time.Now().Add(ioTimeout)))
		var got string
		buf := make([]byte, 64)
		for {
			n, hs, err := dir.to.ReadHandles(buf)
			assert.Empty(t, hs)
			got += string(buf[:n])
			if err == io.EOF {
				break
			}
			require.NoError(t, err)
		}
		assert.Equal(t, dir.msg, got)
	}
}
