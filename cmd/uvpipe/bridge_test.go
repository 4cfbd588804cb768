package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/pipe"
)

// socketPath is a fresh unix socket path for one test; on Windows a fresh
// named pipe's name (Wine cannot remove a test's TempDir, and the command
// prints a pipe's name as it listens on it).
func socketPath(t *testing.T) string {
	if runtime.GOOS == "windows" {
		return fmt.Sprintf(`\\.\pipe\uvpipe-cmd-%d-%d`, os.Getpid(), pipeSeq.Add(1))
	}
	return filepath.Join(t.TempDir(), "s")
}

// pipeSeq numbers socketPath's pipe names.
var pipeSeq atomic.Int64

// skipOnWindows skips a test that cannot run on Windows, saying why.
func skipOnWindows(t *testing.T, why string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("not on Windows: " + why)
	}
}

// listening starts `uvpipe listen -v args... path` and waits until it
// listens.
func listening(t *testing.T, path string, args ...string) *proc {
	t.Helper()
	l := start(t, append(append([]string{"listen", "-v"}, args...), path)...)
	l.waitStderr(t, "uvpipe: listening on "+path+"\n")
	return l
}

// listen and connect bridge both ways, and half close works as nc's: the
// listener's stdin ends first, the connector gets its bytes and EOF on its
// stdout yet goes on sending until its own stdin ends; then both exit 0.
func TestListenConnectHalfClose(t *testing.T) {
	skipOnWindows(t, "named pipes have no half close (libuv ends the peer's stream only when the pipe closes), and leave no socket file")
	path := socketPath(t)
	l := listening(t, path)
	_, err := io.WriteString(l.stdin, "from the listener\n")
	require.NoError(t, err)
	require.NoError(t, l.stdin.Close())

	c := start(t, "connect", path)
	l.waitStderr(t, "uvpipe: connected to pid ")
	_, err = os.Stat(path)
	require.ErrorIs(t, err, os.ErrNotExist, "the socket file goes once the connection is accepted")
	_, err = io.WriteString(c.stdin, "first\n")
	require.NoError(t, err)
	c.waitStdout(t, "from the listener\n")
	l.waitStdout(t, "first\n")
	require.True(t, c.running(), "the listener only half-closed: the connector still sends")
	require.True(t, l.running(), "the listener still reads")

	_, err = io.WriteString(c.stdin, "second\n")
	require.NoError(t, err)
	require.NoError(t, c.stdin.Close())
	require.Equal(t, 0, c.exit(t), "connect: %s", c.stderr.String())
	require.Equal(t, 0, l.exit(t), "listen: %s", l.stderr.String())
	require.Equal(t, "first\nsecond\n", l.stdout.String())
	require.Equal(t, "from the listener\n", c.stdout.String())
	require.Empty(t, c.stderr.String())
}

// A megabyte each way at once, through a bridge at each end.
func TestListenConnectBulk(t *testing.T) {
	path := socketPath(t)
	up, down := pattern(1<<20, 1), pattern(1<<20, 7)
	l := listening(t, path)
	c := start(t, "connect", path)
	go func() { l.stdin.Write(down); l.stdin.Close() }()
	go func() { c.stdin.Write(up); c.stdin.Close() }()
	require.Equal(t, 0, c.exit(t), "connect: %s", c.stderr.String())
	require.Equal(t, 0, l.exit(t), "listen: %s", l.stderr.String())
	require.Equal(t, string(up), l.stdout.String())
	require.Equal(t, string(down), c.stdout.String())
}

// loopbackListener is a TCP listener on a loopback port, closed when the
// test ends.
func loopbackListener(t *testing.T) *net.TCPListener {
	t.Helper()
	ln, err := net.ListenTCP("tcp", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)})
	require.NoError(t, err)
	t.Cleanup(func() { ln.Close() })
	return ln
}

// pattern is n bytes that differ from one seed to another.
func pattern(n int, seed byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*int(seed)) ^ byte(i>>8)
	}
	return b
}

// Connecting to a path where nobody listens fails at once: exit 1, one line
// naming the path and the reason.
func TestConnectMissing(t *testing.T) {
	path := socketPath(t)
	code, out, errOut := runCLI(t, "", "connect", path)
	require.Equal(t, 1, code)
	require.Empty(t, out)
	requireOneLine(t, errOut)
	require.Contains(t, errOut, path)
	require.Contains(t, errOut, syscall.ENOENT.Error())
}

// Listening in a directory that does not exist fails with libuv's EACCES,
// and the one line says which directory is missing.
func TestListenMissingDirectory(t *testing.T) {
	skipOnWindows(t, "a named pipe's name has no directories")
	dir := filepath.Join(t.TempDir(), "missing")
	code, out, errOut := runCLI(t, "", "listen", filepath.Join(dir, "s"))
	require.Equal(t, 1, code)
	require.Empty(t, out)
	requireOneLine(t, errOut)
	require.Contains(t, errOut, "bind: permission denied (the directory "+dir+" does not exist; libuv reports that as permission denied)")
}

// Listening where a live server listens fails: exit 1, one line.
func TestListenBusy(t *testing.T) {
	path := socketPath(t)
	l := listening(t, path)
	code, _, errOut := runCLI(t, "", "listen", path)
	require.Equal(t, 1, code)
	requireOneLine(t, errOut)
	require.Contains(t, errOut, "address already in use")
	l.cmd.Process.Kill()
	l.exit(t)
}

// The peer of a bridge is killed while both stdins are still open: the
// other side sees the socket end and the peer gone, and exits 0, in either
// direction.
func TestPeerKilled(t *testing.T) {
	skipOnWindows(t, "the bridge has no hangup poll there: it sees its peer gone only once its own stdin ends")
	for _, killListener := range []bool{false, true} {
		path := socketPath(t)
		l := listening(t, path)
		c := start(t, "connect", path)
		l.waitStderr(t, "uvpipe: connected")
		_, err := io.WriteString(c.stdin, "ping\n")
		require.NoError(t, err)
		l.waitStdout(t, "ping\n")
		killed, survivor := c, l
		if killListener {
			killed, survivor = l, c
		}
		require.NoError(t, killed.cmd.Process.Kill())
		killed.exit(t)
		require.Equal(t, 0, survivor.exit(t), "killListener=%v: %s", killListener, survivor.stderr.String())
	}
}

// A peer that closes the connection at once, with the command's stdin
// still open: it exits 0 without waiting for stdin.
func TestPeerCloses(t *testing.T) {
	skipOnWindows(t, "the bridge has no hangup poll there: it sees its peer gone only once its own stdin ends")
	path := socketPath(t)
	srv, err := pipe.Listen(path)
	require.NoError(t, err)
	defer srv.Close()
	c := start(t, "connect", path)
	conn, err := acceptWithin(srv)
	require.NoError(t, err)
	_, err = conn.Write([]byte("bye\n"))
	require.NoError(t, err)
	require.NoError(t, conn.Close())
	require.Equal(t, 0, c.exit(t), c.stderr.String())
	require.Equal(t, "bye\n", c.stdout.String())
	require.Empty(t, c.stderr.String())
}

// acceptWithin accepts one connection on srv, failing after waitTimeout.
func acceptWithin(srv *pipe.Server) (*pipe.Pipe, error) {
	timer := time.AfterFunc(waitTimeout, func() { srv.Close() })
	defer timer.Stop()
	return srv.AcceptPipe()
}

// listen --ipc reports each handle that arrives, in one line naming its type
// and what it is, passes the bytes that came with it to stdout, and closes
// it; the command exits 0 when the sender closes.
func TestListenIPCReportsHandles(t *testing.T) {
	skipOnWindows(t, "UDP sockets cannot be passed there (uv.ErrNotPassable), and a peer has no uid")
	path := socketPath(t)
	l := listening(t, path, "--ipc")

	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	p, err := pipe.Config{IPC: true}.Dial(ctx, path)
	require.NoError(t, err)
	defer p.Close()

	ln := loopbackListener(t)
	conn, err := net.DialTCP("tcp", nil, ln.Addr().(*net.TCPAddr))
	require.NoError(t, err)
	defer conn.Close()
	udp, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	require.NoError(t, err)
	defer udp.Close()

	_, err = p.WriteHandle([]byte("L"), ln)
	require.NoError(t, err)
	_, err = p.WriteHandle([]byte("C"), conn)
	require.NoError(t, err)
	_, err = p.WriteHandle([]byte("U"), udp)
	require.NoError(t, err)
	_, err = p.Write([]byte("\n"))
	require.NoError(t, err)
	l.waitStdout(t, "LCU\n")
	require.NoError(t, p.Close())
	require.Equal(t, 0, l.exit(t), l.stderr.String())

	want := "uvpipe: listening on " + regexp.QuoteMeta(path) + "\n" +
		"uvpipe: connected to pid \\d+ \\(uid \\d+\\)\n" +
		"uvpipe: received a tcp handle \\(listening on " + regexp.QuoteMeta(ln.Addr().String()) + "\\)\n" +
		"uvpipe: received a tcp handle \\(connected to " + regexp.QuoteMeta(ln.Addr().String()) +
		", from " + regexp.QuoteMeta(conn.LocalAddr().String()) + "\\)\n" +
		"uvpipe: received a udp handle \\(bound to " + regexp.QuoteMeta(udp.LocalAddr().String()) + "\\)\n$"
	require.Regexp(t, "^"+want, l.stderr.String())
}

// connect --ipc reports handles too: here a unix socket, the listening
// socket of a server of the test's own.
func TestConnectIPCReportsHandles(t *testing.T) {
	skipOnWindows(t, "it passes a unix socket")
	dir := t.TempDir()
	path := filepath.Join(dir, "s")
	srv, err := pipe.ServerConfig{Config: pipe.Config{IPC: true}}.Listen(path)
	require.NoError(t, err)
	defer srv.Close()
	c := start(t, "connect", "--ipc", path)
	p, err := acceptWithin(srv)
	require.NoError(t, err)
	defer p.Close()

	other := filepath.Join(dir, "other")
	ul, err := net.ListenUnix("unix", &net.UnixAddr{Name: other, Net: "unix"})
	require.NoError(t, err)
	defer ul.Close()
	_, err = p.WriteHandle([]byte("x\n"), ul)
	require.NoError(t, err)
	c.waitStdout(t, "x\n")
	c.waitStderr(t, "uvpipe: received a pipe handle (listening on "+other+")\n")
	require.NoError(t, p.Close())
	require.Equal(t, 0, c.exit(t), c.stderr.String())
}

// Without --ipc, an fd sent along is not taken: the bytes pass, nothing is
// reported.
func TestConnectWithoutIPCIgnoresHandles(t *testing.T) {
	skipOnWindows(t, "libuv frames every write of an IPC named pipe, so a reader that is not IPC sees the frames")
	path := socketPath(t)
	srv, err := pipe.ServerConfig{Config: pipe.Config{IPC: true}}.Listen(path)
	require.NoError(t, err)
	defer srv.Close()
	c := start(t, "connect", path)
	p, err := acceptWithin(srv)
	require.NoError(t, err)
	defer p.Close()
	ln := loopbackListener(t)
	_, err = p.WriteHandle([]byte("data\n"), ln)
	require.NoError(t, err)
	c.waitStdout(t, "data\n")
	require.NoError(t, p.Close())
	require.Equal(t, 0, c.exit(t), c.stderr.String())
	require.Empty(t, c.stderr.String())
}
