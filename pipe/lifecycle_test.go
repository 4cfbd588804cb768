//go:build !windows

package pipe_test

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/pipe"
	"github.com/uvpipe/uvpipe/uv"
)

// waitCtx is the bound on every blocking step of these tests: a bug fails
// the test instead of hanging it.
func waitCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// listenT listens on a fresh path (or on path, when given) and closes the
// server when the test ends.
func listenT(t *testing.T, cfg pipe.ServerConfig, path string) (*pipe.Server, string) {
	t.Helper()
	if path == "" {
		path = filepath.Join(t.TempDir(), "s.sock")
	}
	srv, err := cfg.Listen(path)
	require.NoError(t, err)
	t.Cleanup(func() { srv.Close() })
	return srv, path
}

// dialAccept connects a client to srv and returns both ends, closed when the
// test ends.
func dialAccept(t *testing.T, srv *pipe.Server, path string, cfg pipe.Config) (client, server *pipe.Pipe) {
	t.Helper()
	type res struct {
		p   *pipe.Pipe
		err error
	}
	ch := make(chan res, 1)
	go func() {
		p, err := srv.AcceptPipe()
		ch <- res{p, err}
	}()
	c, err := cfg.Dial(waitCtx(t), path)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	select {
	case r := <-ch:
		require.NoError(t, r.err)
		t.Cleanup(func() { r.p.Close() })
		return c, r.p
	case <-time.After(10 * time.Second):
		srv.Close()
		<-ch
		t.Fatal("Accept did not return")
		return nil, nil
	}
}

// Listening on a path in use is EADDRINUSE; listening on a pipe
// that is not bound is EINVAL, as is listening on an IPC pipe; after Close,
// net.ErrClosed (Go's convention, where libuv says EINVAL).
func TestListenErrors(t *testing.T) {
	_, path := listenT(t, pipe.ServerConfig{}, "")
	_, err := pipe.Listen(path)
	assert.ErrorIs(t, err, syscall.EADDRINUSE)
	assert.Equal(t, "EADDRINUSE", uv.ErrName(err))
	var oe *net.OpError
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, "listen", oe.Op)

	p, err := uv.NewPipe(nil, false, 0)
	require.NoError(t, err)
	assert.ErrorIs(t, p.Listen(0), syscall.EINVAL, "listen without bind")
	require.NoError(t, p.Close())
	assert.ErrorIs(t, p.Listen(0), net.ErrClosed, "listen after close")

	ipc, err := uv.NewPipe(nil, true, 0)
	require.NoError(t, err)
	defer ipc.Close()
	require.NoError(t, ipc.Bind(filepath.Join(t.TempDir(), "ipc.sock")))
	assert.ErrorIs(t, ipc.Listen(0), syscall.EINVAL, "an IPC pipe cannot listen")

	// A server of IPC pipes listens on a plain pipe and accepts IPC pipes.
	srv, path2 := listenT(t, pipe.ServerConfig{Config: pipe.Config{IPC: true}}, "")
	c, s := dialAccept(t, srv, path2, pipe.Config{})
	assert.True(t, s.IPC())
	assert.False(t, c.IPC())
}

// A path longer than sun_path is ENAMETOOLONG for Listen and
// Dial, never silently truncated into another path.
func TestOverlongPath(t *testing.T) {
	dir := t.TempDir()
	long := filepath.Join(dir, strings.Repeat("x", 120))
	_, err := pipe.Listen(long)
	assert.ErrorIs(t, err, syscall.ENAMETOOLONG)
	// The truncated name must not have been created.
	ents, _ := os.ReadDir(dir)
	assert.Empty(t, ents)

	_, err = pipe.Dial(waitCtx(t), long)
	assert.ErrorIs(t, err, syscall.ENAMETOOLONG)
	var oe *net.OpError
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, "dial", oe.Op)

	// 107 bytes still fit (sun_path is 108 with its NUL).
	fits := filepath.Join(dir, strings.Repeat("y", 107-len(dir)-1))
	require.Len(t, fits, 107)
	srv, err := pipe.Listen(fits)
	require.NoError(t, err)
	c, err := pipe.Dial(waitCtx(t), fits)
	require.NoError(t, err)
	c.Close()
	srv.Close()
}

func init() {
	children["dial-as-nobody"] = func() int {
		// Drop root so that file permissions apply to the connect.
		if err := syscall.Setgid(65534); err != nil {
			return 3
		}
		if err := syscall.Setuid(65534); err != nil {
			return 3
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		c, err := pipe.Dial(ctx, os.Getenv("UVPIPE_DIAL_PATH"))
		if errors.Is(err, syscall.EACCES) {
			return 13
		}
		if err != nil {
			return 4
		}
		c.Close()
		return 0
	}
}

// openDir lets every user reach dir (a t.TempDir, whose parent is private
// too).
func openDir(t *testing.T, dir string) {
	require.NoError(t, os.Chmod(dir, 0o755))
	require.NoError(t, os.Chmod(filepath.Dir(dir), 0o755))
}

// dialAsNobody dials path from a child running as an unprivileged user and
// returns its exit code: 0 connected, 13 EACCES.
func dialAsNobody(t *testing.T, path string) int {
	t.Helper()
	ctx := waitCtx(t)
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "UVPIPE_PIPE_CHILD=dial-as-nobody", "UVPIPE_DIAL_PATH="+path)
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	require.NoError(t, err, string(out))
	return 0
}

// Dialing a missing path is ENOENT, a regular file
// ECONNREFUSED, a socket with mode 0 EACCES (for a user that is not root:
// as root, the check runs in a child that drops to nobody).
func TestDialErrors(t *testing.T) {
	dir := t.TempDir()
	_, err := pipe.Dial(waitCtx(t), filepath.Join(dir, "missing"))
	assert.ErrorIs(t, err, syscall.ENOENT)

	reg := filepath.Join(dir, "regular")
	require.NoError(t, os.WriteFile(reg, []byte("x"), 0o666))
	_, err = pipe.Dial(waitCtx(t), reg)
	assert.ErrorIs(t, err, syscall.ECONNREFUSED)

	openDir(t, dir)
	srv, path := listenT(t, pipe.ServerConfig{}, filepath.Join(dir, "s.sock"))
	require.NoError(t, os.Chmod(path, 0))
	if os.Geteuid() != 0 {
		_, err = pipe.Dial(waitCtx(t), path)
		assert.ErrorIs(t, err, syscall.EACCES)
	} else {
		assert.Equal(t, 13, dialAsNobody(t, path), "mode 0: EACCES")
	}
	_ = srv
}

// A dial given a context already cancelled, or cancelled
// while it connects, returns the context's error once and leaves no handle;
// closing a uv pipe while its Connect runs ends the Connect (with
// net.ErrClosed, or done) and its callbacks run once.
func TestDialCancelAndCloseWhileConnecting(t *testing.T) {
	_, path := listenT(t, pipe.ServerConfig{}, "")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c, err := pipe.Dial(ctx, path)
	if err == nil {
		c.Close() // connected before the cancellation was seen: allowed
	} else {
		assert.ErrorIs(t, err, context.Canceled)
	}

	for i := 0; i < 20; i++ {
		p, err := uv.NewPipe(nil, false, 0)
		require.NoError(t, err)
		done := make(chan error, 1)
		go func() { done <- p.Connect(waitCtx(t), path) }()
		require.NoError(t, p.Close())
		select {
		case err := <-done:
			if err != nil {
				assert.ErrorIs(t, err, net.ErrClosed)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("Connect did not end after Close")
		}
		assert.ErrorIs(t, p.Connect(waitCtx(t), path), net.ErrClosed, "connect after close")
	}
}

func init() {
	children["listen-then-hang"] = func() int {
		srv, err := pipe.Listen(os.Getenv("UVPIPE_LISTEN_PATH"))
		if err != nil {
			return 2
		}
		_ = srv
		os.Stdout.WriteString("listening\n")
		time.Sleep(30 * time.Second) // killed by the test
		return 0
	}
}

// The socket file of a server that died (killed, it could not
// remove it) is replaced after a dial finds nobody listening; a live one is
// EADDRINUSE; a path that is not a socket is never removed.
func TestStaleSocketOfKilledProcess(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.sock")
	cmd := exec.CommandContext(waitCtx(t), os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "UVPIPE_PIPE_CHILD=listen-then-hang", "UVPIPE_LISTEN_PATH="+path)
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	line, _ := bufio.NewReader(out).ReadString('\n')
	require.Equal(t, "listening\n", line)

	_, err = pipe.Listen(path)
	assert.ErrorIs(t, err, syscall.EADDRINUSE, "the child's server is alive")

	require.NoError(t, cmd.Process.Kill())
	cmd.Wait()
	_, err = os.Stat(path)
	require.NoError(t, err, "the killed server left its socket file")

	srv, err := pipe.Listen(path)
	require.NoError(t, err, "the stale file is replaced")
	defer srv.Close()
	c, s := dialAccept(t, srv, path, pipe.Config{})
	_, err = c.Write([]byte("x"))
	require.NoError(t, err)
	b := make([]byte, 1)
	_, err = io.ReadFull(s, b)
	require.NoError(t, err)

	reg := filepath.Join(t.TempDir(), "regular")
	require.NoError(t, os.WriteFile(reg, []byte("keep"), 0o666))
	_, err = pipe.Listen(reg)
	assert.ErrorIs(t, err, syscall.EADDRINUSE)
	data, err := os.ReadFile(reg)
	require.NoError(t, err)
	assert.Equal(t, "keep", string(data), "a regular file is not replaced")
}

// Linux abstract names ("@name", as Go's net package writes
// them) listen and dial without a file; addresses come back from
// getsockname/getpeername (LocalAddr/RemoteAddr) on both ends; an empty
// name autobinds to a fresh abstract name. (uvpipe reads addresses with Go's
// getsockname, so libuv's small-buffer ENOBUFS case does not apply.)
func TestAbstractNamesAndAutobind(t *testing.T) {
	name := "@uvpipe-test-" + strings.ReplaceAll(t.Name(), "/", "-") + "-" + strconv.Itoa(os.Getpid())
	srv, err := pipe.Listen(name)
	require.NoError(t, err)
	defer srv.Close()
	assert.Equal(t, name, srv.Addr().String())
	c, s := dialAccept(t, srv, name, pipe.Config{})
	assert.Equal(t, name, c.RemoteAddr().String())
	assert.Equal(t, name, s.LocalAddr().String())
	_, err = c.Write([]byte("abstract"))
	require.NoError(t, err)
	b := make([]byte, 8)
	_, err = io.ReadFull(s, b)
	require.NoError(t, err)
	assert.Equal(t, "abstract", string(b))

	// Go's own net package reaches it too.
	gc, err := net.Dial("unix", name)
	require.NoError(t, err)
	gc.Close()

	_, err = pipe.Listen(name)
	assert.ErrorIs(t, err, syscall.EADDRINUSE, "an abstract name in use")

	auto, err := pipe.Listen("")
	require.NoError(t, err)
	defer auto.Close()
	an := auto.Addr().String()
	require.True(t, strings.HasPrefix(an, "@"), "autobind gives an abstract name, got %q", an)
	c2, s2 := dialAccept(t, auto, an, pipe.Config{})
	assert.Equal(t, an, c2.RemoteAddr().String())
	assert.Equal(t, an, s2.LocalAddr().String())

	srv.Close()
	_, err = pipe.Dial(waitCtx(t), name)
	assert.ErrorIs(t, err, syscall.ECONNREFUSED, "the name is gone with its server")

	// Path sockets: the dialer's RemoteAddr is the path, the accepted end's
	// LocalAddr too; the dialer is unnamed.
	psrv, path := listenT(t, pipe.ServerConfig{}, "")
	pc, ps := dialAccept(t, psrv, path, pipe.Config{})
	assert.Equal(t, path, pc.RemoteAddr().String())
	assert.Equal(t, path, ps.LocalAddr().String())
	assert.Equal(t, "", pc.LocalAddr().String())
	assert.Equal(t, "unix", pc.LocalAddr().Network())
}

// Closing a server with connections waiting to be accepted
// and an Accept blocked: the Accept returns net.ErrClosed, the waiting
// clients read EOF (or ECONNRESET), later Accepts return net.ErrClosed, and
// nothing leaks.
func TestServerCloseWithPendingConnects(t *testing.T) {
	srv, path := listenT(t, pipe.ServerConfig{}, "")
	var clients []*pipe.Pipe
	for i := 0; i < 5; i++ {
		c, err := pipe.Dial(waitCtx(t), path)
		require.NoError(t, err)
		clients = append(clients, c)
	}
	// Take one, leave the rest pending.
	s, err := srv.Accept()
	require.NoError(t, err)
	defer s.Close()

	srv2, path2 := listenT(t, pipe.ServerConfig{}, "")
	var wg sync.WaitGroup
	wg.Add(1)
	var acceptErr error
	go func() {
		defer wg.Done()
		_, acceptErr = srv2.Accept()
	}()
	time.Sleep(50 * time.Millisecond) // let it block (not required for the outcome)
	require.NoError(t, srv2.Close())
	require.NoError(t, srv.Close())
	wg.Wait()
	assert.ErrorIs(t, acceptErr, net.ErrClosed)
	_, err = srv.Accept()
	assert.ErrorIs(t, err, net.ErrClosed)
	assert.NoError(t, srv.Close(), "closing twice")
	_, err = os.Stat(path2)
	assert.True(t, os.IsNotExist(err))

	for i, c := range clients[1:] {
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		_, err := c.Read(make([]byte, 1))
		if err != io.EOF {
			assert.ErrorIs(t, err, syscall.ECONNRESET, "client %d", i+1)
		}
		c.Close()
	}
	clients[0].Close()
}

// ServerConfig.Mode is applied to the socket file; with 0600 a
// user that is not the owner cannot connect, with 0666 it can.
func TestServerMode(t *testing.T) {
	dir := t.TempDir()
	openDir(t, dir)
	_, path := listenT(t, pipe.ServerConfig{Mode: 0o600}, filepath.Join(dir, "private.sock"))
	st, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())
	assert.NotZero(t, st.Mode()&os.ModeSocket)

	_, open := listenT(t, pipe.ServerConfig{Mode: 0o666}, filepath.Join(dir, "public.sock"))
	st, err = os.Stat(open)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o666), st.Mode().Perm())

	if os.Geteuid() == 0 {
		assert.Equal(t, 13, dialAsNobody(t, path), "0600: EACCES for another user")
		assert.Equal(t, 0, dialAsNobody(t, open), "0666: anyone connects")
	}

	_, err = pipe.ServerConfig{Mode: 0o600}.Listen("@uvpipe-mode-" + strconv.Itoa(os.Getpid()))
	assert.Error(t, err, "an abstract socket has no file to chmod")
}

// A socket file nobody listens on is replaced; a live one is not (unix only:
// a named pipe leaves nothing behind).
func TestStaleSocketIsReplacedLiveOneIsNot(t *testing.T) {
	path := sockPath(t)
	ln, err := net.Listen("unix", path)
	require.NoError(t, err)
	_, err = pipe.Listen(path)
	assert.ErrorIs(t, err, syscall.EADDRINUSE, "a live socket is not replaced")
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	ln.Close() // leaves the file: stale now
	srv, err := pipe.Listen(path)
	require.NoError(t, err, "the stale file is replaced")
	srv.Close()
}
