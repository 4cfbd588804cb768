//go:build !windows

package pipe_test

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/uvpipe/uvpipe/internal/interop"
	"github.com/uvpipe/uvpipe/pipe"
)

// Where bare-pipe and pipe/ are compared on the same behaviour, the pinned
// bare runs interop/pipe-ends-peer.js.

// bareEnds starts interop/pipe-ends-peer.js with args under the pinned bare,
// extra as its fds 3, 4..., and returns a function that waits for it and
// returns its stdout.
func bareEnds(t *testing.T, extra []*os.File, args ...string) func() string {
	t.Helper()
	bare := interop.Bare(t)
	interop.Module(t, "bare-pipe")
	ctx, cancel := context.WithTimeout(context.Background(), procTimeout)
	cmd := exec.CommandContext(ctx, bare, append([]string{"pipe-ends-peer.js"}, args...)...)
	cmd.Dir = interop.Dir(t)
	cmd.ExtraFiles = extra
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.WaitDelay = 5 * time.Second
	err := cmd.Start()
	for _, f := range extra {
		f.Close()
	}
	if err != nil {
		cancel()
		require.NoError(t, err)
	}
	waited := false
	wait := func() string {
		t.Helper()
		if !waited {
			waited = true
			err := cmd.Wait()
			cancel()
			require.NoError(t, err, "bare: %s", errb.String())
		}
		return out.String()
	}
	t.Cleanup(func() {
		cancel()
		if !waited {
			cmd.Wait()
		}
	})
	return wait
}

// What reading from an OS pipe's write end gives, and each end's state: Bare
// opens fd 3 (a write end) and fd 4 (a read end) from Go's OSPipeFDs and
// reports; Go does the same with its own ends. Bare's write end ends its
// readable side at once ('end', readyState "writeOnly", no error), so Go's
// Read there returns io.EOF (it returned ENOTCONN before).
func TestOSPipeEndsAsBare(t *testing.T) {
	r1, w1, err := pipe.OSPipeFDs() // Bare writes w1, Go reads r1
	require.NoError(t, err)
	r2, w2, err := pipe.OSPipeFDs() // Go writes w2, Bare reads r2
	require.NoError(t, err)
	wait := bareEnds(t, []*os.File{os.NewFile(uintptr(w1), "w1"), os.NewFile(uintptr(r2), "r2")}, "ends")

	r, err := pipe.Open(r1)
	require.NoError(t, err)
	defer r.Close()
	w, err := pipe.Open(w2)
	require.NoError(t, err)
	defer w.Close()
	assert.Equal(t, r1, r.Fd())
	assert.Equal(t, w2, w.Fd())
	assert.Equal(t, pipe.StateReadOnly, r.ReadyState())
	assert.Equal(t, pipe.StateWriteOnly, w.ReadyState())

	_, err = io.WriteString(w, "hello go")
	require.NoError(t, err)
	require.NoError(t, w.SetReadDeadline(time.Now().Add(ioTimeout)))
	n, err := w.Read(make([]byte, 8))
	assert.Equal(t, 0, n)
	assert.Equal(t, io.EOF, err, "reading from the write end ends, as in Bare")
	assert.Equal(t, pipe.StateWriteOnly, w.ReadyState())
	_, err = r.Write([]byte("x"))
	assert.ErrorIs(t, err, syscall.EPIPE, "the read end is not writable (Bare drops such a write silently)")
	require.NoError(t, w.Close())
	assert.Equal(t, pipe.StateClosed, w.ReadyState())
	assert.Equal(t, -1, w.Fd())
	assert.Equal(t, "hello bare", readToEnd(t, r))

	var got struct {
		W struct {
			State string
			Ended bool
			Error *string
		}
		R struct {
			State      string
			Got        string
			WriteError *string
		}
	}
	require.NoError(t, json.Unmarshal([]byte(wait()), &got))
	assert.Equal(t, "writeOnly", got.W.State)
	assert.True(t, got.W.Ended, "Bare's write end emits 'end'")
	assert.Nil(t, got.W.Error, "and no error")
	assert.Equal(t, "readOnly", got.R.State)
	assert.Equal(t, "hello go", got.R.Got)
	assert.Nil(t, got.R.WriteError, "Bare drops a write to the read end without an error")
	assert.Equal(t, pipe.StateWriteOnly.String(), got.W.State)
	assert.Equal(t, pipe.StateReadOnly.String(), got.R.State)
}

// OSPipeFDs gives open, close-on-exec, blocking fds the caller owns.
func TestOSPipeFDs(t *testing.T) {
	r, w, err := pipe.OSPipeFDs()
	require.NoError(t, err)
	defer unix.Close(r)
	defer unix.Close(w)
	for _, fd := range []int{r, w} {
		fl, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0)
		require.NoError(t, err)
		assert.NotZero(t, fl&unix.FD_CLOEXEC)
		st, err := unix.FcntlInt(uintptr(fd), unix.F_GETFL, 0)
		require.NoError(t, err)
		assert.Zero(t, st&unix.O_NONBLOCK)
	}
	_, err = unix.Write(w, []byte("x"))
	require.NoError(t, err)
	b := make([]byte, 1)
	_, err = unix.Read(r, b)
	require.NoError(t, err)
	assert.Equal(t, "x", string(b))
}

// A Bare client talks to a Go server that is shut down while the
// connection is open: Shutdown stops listening at once (the socket file
// goes, Listening is false) and returns only once the accepted connection
// has closed, as bare-pipe's server emits 'close' after its last
// connection closed; the connection goes on working meanwhile.
func TestServerShutdownWaitsForBareClient(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.sock")
	srv, err := pipe.Listen(path)
	require.NoError(t, err)
	defer srv.Close()
	assert.True(t, srv.Listening())
	wait := bareEnds(t, nil, "client", path)
	c, err := srv.AcceptPipe()
	require.NoError(t, err)
	assert.Equal(t, 1, srv.Conns())

	shut := make(chan error, 1)
	go func() { shut <- srv.Shutdown(waitCtx(t)) }()
	// Shutdown closes the listener at once (Listening turns false when the
	// close begins, the socket file goes when libuv's close completes),
	// without waiting for the connection.
	require.Eventually(t, func() bool {
		_, err := os.Stat(path)
		return !srv.Listening() && os.IsNotExist(err)
	}, ioTimeout, time.Millisecond, "the listener and its socket file go at once")

	assert.Equal(t, "hello from bare", readToEnd(t, c), "the connection still works")
	_, err = io.WriteString(c, "echo: hello from bare")
	require.NoError(t, err)
	require.NoError(t, c.CloseWrite())
	select {
	case err := <-shut:
		t.Fatalf("Shutdown returned (%v) while a connection was open", err)
	default:
	}
	var got struct {
		Connecting bool
		Got        string
	}
	require.NoError(t, json.Unmarshal([]byte(wait()), &got))
	assert.Equal(t, "echo: hello from bare", got.Got)
	assert.True(t, got.Connecting, "a Bare pipe is seen connecting; a Go Pipe never is (Dial returns it connected)")

	require.NoError(t, c.Close())
	select {
	case err := <-shut:
		assert.NoError(t, err)
	case <-time.After(ioTimeout):
		t.Fatal("Shutdown did not return after the last connection closed")
	}
	assert.Equal(t, 0, srv.Conns())
}

// Shutdown with a connection that stays open returns ctx's error, and the
// server is closed all the same.
func TestServerShutdownContext(t *testing.T) {
	srv, path := listenT(t, pipe.ServerConfig{}, "")
	c, s := dialAccept(t, srv, path, pipe.Config{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.ErrorIs(t, srv.Shutdown(ctx), context.Canceled)
	assert.False(t, srv.Listening())
	require.NoError(t, c.Close())
	require.NoError(t, s.Close())
	assert.NoError(t, srv.Shutdown(waitCtx(t)), "nothing left to wait for")
}

// The event-style server: a Bare client connects, the Go server's
// OnConnection handler sets OnRead on the pipe it is given, collects the
// client's bytes and answers at their end, all inside libuv's callbacks.
func TestServerOnConnectionWithBareClient(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.sock")
	srv, err := pipe.Listen(path)
	require.NoError(t, err)
	defer srv.Close()
	served := make(chan *pipe.Pipe, 1)
	failed := make(chan error, 4)
	srv.OnConnection(func(p *pipe.Pipe, err error) {
		if err != nil {
			failed <- err
			return
		}
		var got []byte
		err = p.OnRead(func(b []byte, err error) {
			switch {
			case err == io.EOF:
				if _, err := p.Write(append([]byte("echo: "), got...)); err != nil {
					failed <- err
				}
				if err := p.CloseWrite(); err != nil {
					failed <- err
				}
				served <- p
			case err != nil:
				failed <- err
			default:
				got = append(got, b...)
			}
		})
		if err != nil {
			failed <- err
		}
	})
	wait := bareEnds(t, nil, "client", path)
	var p *pipe.Pipe
	select {
	case p = <-served:
	case err := <-failed:
		t.Fatal(err)
	case <-time.After(ioTimeout):
		t.Fatal("the handler did not serve the connection")
	}
	var got struct{ Got string }
	require.NoError(t, json.Unmarshal([]byte(wait()), &got))
	assert.Equal(t, "echo: hello from bare", got.Got)
	assert.Equal(t, 1, srv.Conns(), "a connection the handler took counts")
	require.NoError(t, p.Close())
	assert.NoError(t, srv.Shutdown(waitCtx(t)))
	assert.Empty(t, failed)
}

// In the event style, the write end of an OS pipe ends at once too: the
// handler gets io.EOF, on the loop, as bare-pipe's 'end' (OnRead failed with
// ENOTCONN before).
func TestOSPipeWriteEndOnReadEnds(t *testing.T) {
	r, w, err := pipe.OSPipe()
	require.NoError(t, err)
	defer r.Close()
	defer w.Close()
	got := make(chan error, 2)
	require.NoError(t, w.OnRead(func(b []byte, err error) { got <- err }))
	select {
	case err := <-got:
		assert.Equal(t, io.EOF, err)
	case <-time.After(ioTimeout):
		t.Fatal("the handler did not get the end")
	}
	assert.Equal(t, pipe.StateWriteOnly, w.ReadyState())
	_, err = io.WriteString(w, "still writable")
	require.NoError(t, err)
	require.NoError(t, w.Close())
	assert.Equal(t, "still writable", readToEnd(t, r))
	assert.Empty(t, got)
}
