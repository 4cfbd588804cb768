//go:build !windows

package pipe_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/uvpipe/uvpipe/pipe"
	"github.com/uvpipe/uvpipe/uv/uvtest"
)

// pairT is a socket pair made as cfg, closed when the test ends, with a 10 s
// deadline on both ends so that a bug fails instead of hanging.
func pairT(t *testing.T, cfg pipe.Config) (*pipe.Pipe, *pipe.Pipe) {
	t.Helper()
	a, b, err := cfg.SocketPair()
	require.NoError(t, err)
	t.Cleanup(func() { a.Close(); b.Close() })
	dl := time.Now().Add(10 * time.Second)
	a.SetDeadline(dl)
	b.SetDeadline(dl)
	return a, b
}

// When the peer closes, Read returns io.EOF exactly once
// after the data, and again on every later Read; for a dialed pipe too.
func TestPeerCloseEOF(t *testing.T) {
	for _, ipc := range []bool{false, true} {
		a, b := pairT(t, pipe.Config{IPC: ipc})
		_, err := a.Write([]byte("last words"))
		require.NoError(t, err)
		require.NoError(t, a.Close())
		got, err := io.ReadAll(b)
		require.NoError(t, err)
		assert.Equal(t, "last words", string(got))
		for i := 0; i < 3; i++ {
			n, err := b.Read(make([]byte, 8))
			assert.Equal(t, 0, n)
			assert.Equal(t, io.EOF, err, "reading again stays io.EOF")
		}
	}
	srv, path := listenT(t, pipe.ServerConfig{}, "")
	c, s := dialAccept(t, srv, path, pipe.Config{})
	require.NoError(t, s.Close())
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, err := c.Read(make([]byte, 1))
	assert.Equal(t, io.EOF, err)
	_, err = c.Read(make([]byte, 1))
	assert.Equal(t, io.EOF, err)
}

// CloseWrite: the peer reads the data then io.EOF and can
// still write back; we can still read; writing after it fails; CloseWrite
// twice is harmless; both sides closing their write side at once works.
func TestCloseWriteHalfClose(t *testing.T) {
	a, b := pairT(t, pipe.Config{})
	_, err := a.Write([]byte("request"))
	require.NoError(t, err)
	require.NoError(t, a.CloseWrite())
	_, err = a.Write([]byte("x"))
	assert.ErrorIs(t, err, syscall.EPIPE, "not writable right after shutdown")
	assert.NoError(t, a.CloseWrite(), "shutdown twice")
	got, err := io.ReadAll(b)
	require.NoError(t, err)
	assert.Equal(t, "request", string(got))
	_, err = b.Write([]byte("response"))
	require.NoError(t, err, "half-open: the peer still writes after reading EOF")
	require.NoError(t, b.Close())
	got, err = io.ReadAll(a)
	require.NoError(t, err)
	assert.Equal(t, "response", string(got))

	// Simultaneous shutdown.
	c, d := pairT(t, pipe.Config{IPC: true})
	var wg sync.WaitGroup
	for _, p := range []*pipe.Pipe{c, d} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.Write([]byte("bye"))
			assert.NoError(t, p.CloseWrite())
		}()
	}
	wg.Wait()
	for _, p := range []*pipe.Pipe{c, d} {
		got, err := io.ReadAll(p)
		require.NoError(t, err)
		assert.Equal(t, "bye", string(got))
	}

	// NoHalfOpen: reading EOF ends our writing side too.
	e, f := pairT(t, pipe.Config{NoHalfOpen: true})
	require.NoError(t, f.CloseWrite())
	_, err = e.Read(make([]byte, 1))
	require.Equal(t, io.EOF, err)
	_, err = e.Write([]byte("x"))
	assert.ErrorIs(t, err, syscall.EPIPE)
	_, err = f.Read(make([]byte, 1))
	assert.Equal(t, io.EOF, err, "the peer sees our side end")
}

// Write after CloseWrite is EPIPE, after Close net.ErrClosed;
// neither crashes, and both are *net.OpError.
func TestWriteAfterCloseWriteAndClose(t *testing.T) {
	a, _ := pairT(t, pipe.Config{})
	require.NoError(t, a.CloseWrite())
	_, err := a.Write([]byte("x"))
	assert.ErrorIs(t, err, syscall.EPIPE)
	var oe *net.OpError
	assert.ErrorAs(t, err, &oe)
	require.NoError(t, a.Close())
	_, err = a.Write([]byte("x"))
	assert.ErrorIs(t, err, net.ErrClosed)
	assert.ErrorAs(t, err, &oe)
	_, err = a.Read(make([]byte, 1))
	assert.ErrorIs(t, err, net.ErrClosed)
	assert.ErrorIs(t, a.CloseWrite(), net.ErrClosed)
	assert.NoError(t, a.Close(), "closing twice")
}

// A write to a peer that has gone returns EPIPE (or ECONNRESET) and the
// process lives (no SIGPIPE): from a blocking Write, and from a write made
// inside a read handler run by the loop's background leader. uvpipe never
// runs libuv on a thread created in C, where SIGPIPE would kill the process;
// the handler case is the closest to it (libuv writes from its own callback,
// on whatever thread leads).
func TestWriteToGonePeerEPIPE(t *testing.T) {
	a, b := pairT(t, pipe.Config{})
	require.NoError(t, b.Close())
	var err error
	for i := 0; i < 3 && err == nil; i++ { // the first write may land before the reset is seen
		_, err = a.Write([]byte("anyone there?"))
	}
	require.Error(t, err)
	assert.True(t, errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNRESET), "%v", err)

	// A reply written from inside the read handler after the peer has gone.
	c, d := pairT(t, pipe.Config{})
	// d writes and is closed before c's handler is set, so that whenever the
	// handler runs, its peer has gone.
	_, err = d.Write([]byte("ping"))
	require.NoError(t, err)
	require.NoError(t, d.Close())
	got := make(chan error, 1)
	require.NoError(t, c.OnRead(func(data []byte, err error) {
		if err != nil {
			return
		}
		var werr error
		for i := 0; i < 3 && werr == nil; i++ {
			_, werr = c.Write(data)
		}
		select {
		case got <- werr:
		default:
		}
	}))
	select {
	case werr := <-got:
		require.Error(t, werr)
		assert.True(t, errors.Is(werr, syscall.EPIPE) || errors.Is(werr, syscall.ECONNRESET), "%v", werr)
	case <-time.After(10 * time.Second):
		t.Fatal("the read handler did not run")
	}
	require.NoError(t, c.OnRead(nil))
}

// A zero-length write completes with no error and sends
// nothing; a zero-length read returns 0 without error and without waiting;
// the reader sees only the real bytes.
func TestZeroLengthWriteAndRead(t *testing.T) {
	for _, ipc := range []bool{false, true} {
		a, b := pairT(t, pipe.Config{IPC: ipc})
		n, err := a.Write(nil)
		assert.NoError(t, err)
		assert.Equal(t, 0, n)
		n, err = a.Write([]byte{})
		assert.NoError(t, err)
		assert.Equal(t, 0, n)
		n, err = b.Read(nil)
		assert.NoError(t, err)
		assert.Equal(t, 0, n)
		_, err = a.Write([]byte("z"))
		require.NoError(t, err)
		a.CloseWrite()
		got, err := io.ReadAll(b)
		require.NoError(t, err)
		assert.Equal(t, "z", string(got))
	}
}

// pattern returns n bytes that show any reordering or loss.
func pattern(n int, seed byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7+i/251) ^ seed
	}
	return b
}

// Large writes (4 MiB and 30 MiB, one Write each) arrive
// whole and in order, as do many writes queued from inside a handler, where
// libuv's write queue has to keep their order.
func TestLargeWritesAndQueueOrder(t *testing.T) {
	for _, size := range []int{4 << 20, 30 << 20} {
		a, b := pairT(t, pipe.Config{})
		want := pattern(size, byte(size>>20))
		errc := make(chan error, 1)
		go func() {
			_, err := a.Write(want)
			if err == nil {
				err = a.CloseWrite()
			}
			errc <- err
		}()
		got, err := io.ReadAll(b)
		require.NoError(t, err)
		require.NoError(t, <-errc)
		require.True(t, bytes.Equal(want, got), "%d bytes: data differs", size)
	}

	// Queued writes from a handler: 2000 writes of 1 KiB while the reader
	// does not read yet, so most of them queue in libuv.
	a, b := pairT(t, pipe.Config{})
	c, d := pairT(t, pipe.Config{})
	const n, size = 2000, 1024
	done := make(chan error, 1)
	require.NoError(t, c.OnRead(func(data []byte, err error) {
		if err != nil {
			return
		}
		for i := 0; i < n; i++ {
			if _, err := a.Write(pattern(size, byte(i))); err != nil {
				done <- err
				return
			}
		}
		done <- a.CloseWrite()
	}))
	_, err := d.Write([]byte("go"))
	require.NoError(t, err)
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("handler did not run")
	}
	got, err := io.ReadAll(b)
	require.NoError(t, err)
	require.Len(t, got, n*size)
	for i := 0; i < n; i++ {
		require.True(t, bytes.Equal(pattern(size, byte(i)), got[i*size:(i+1)*size]), "write %d out of order", i)
	}
	require.NoError(t, c.OnRead(nil))
}

// Both ends write 8 MiB at the same time, each reading only
// after its own writes are under way: no deadlock.
func TestHeavyBidirectionalTraffic(t *testing.T) {
	for _, ipc := range []bool{false, true} {
		a, b := pairT(t, pipe.Config{IPC: ipc})
		const size = 8 << 20
		var wg sync.WaitGroup
		for i, p := range []*pipe.Pipe{a, b} {
			want := pattern(size, byte(i))
			wg.Add(2)
			go func() {
				defer wg.Done()
				for off := 0; off < size; off += 64 << 10 {
					if _, err := p.Write(want[off : off+64<<10]); err != nil {
						t.Error(err)
						return
					}
				}
				assert.NoError(t, p.CloseWrite())
			}()
			go func() {
				defer wg.Done()
				got, err := io.ReadAll(p)
				assert.NoError(t, err)
				assert.True(t, bytes.Equal(pattern(size, byte(1-i)), got), "data differs")
			}()
		}
		wg.Wait()
	}
}

// Close right after a Write still delivers the data, then
// EOF; a pipe dialed and closed at once still closes both sides (the server
// accepts it and reads EOF).
func TestCloseRightAfterWrite(t *testing.T) {
	a, b := pairT(t, pipe.Config{})
	want := pattern(1<<20, 3)
	errc := make(chan error, 1)
	go func() {
		_, err := a.Write(want)
		a.Close()
		errc <- err
	}()
	got, err := io.ReadAll(b)
	require.NoError(t, err)
	require.NoError(t, <-errc)
	assert.True(t, bytes.Equal(want, got))

	srv, path := listenT(t, pipe.ServerConfig{}, "")
	c, err := pipe.Dial(waitCtx(t), path)
	require.NoError(t, err)
	require.NoError(t, c.Close())
	s, err := srv.AcceptPipe()
	require.NoError(t, err)
	defer s.Close()
	s.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, err = s.Read(make([]byte, 1))
	assert.Equal(t, io.EOF, err)
}

// Close with a Read blocked in another goroutine: the Read
// returns net.ErrClosed promptly; the same for a Write blocked on a full
// socket.
func TestCloseUnblocksReadAndWrite(t *testing.T) {
	a, _ := pairT(t, pipe.Config{})
	a.SetDeadline(time.Time{})
	readErr := make(chan error, 1)
	go func() {
		_, err := a.Read(make([]byte, 10))
		readErr <- err
	}()
	c, _ := pairT(t, pipe.Config{})
	c.SetDeadline(time.Time{})
	writeErr := make(chan error, 1)
	go func() {
		_, err := c.Write(make([]byte, 64<<20)) // more than the socket holds
		writeErr <- err
	}()
	time.Sleep(50 * time.Millisecond) // let both block (the outcome does not depend on it)
	require.NoError(t, a.Close())
	require.NoError(t, c.Close())
	for name, ch := range map[string]chan error{"read": readErr, "write": writeErr} {
		select {
		case err := <-ch:
			assert.ErrorIs(t, err, net.ErrClosed, name)
		case <-time.After(10 * time.Second):
			t.Fatalf("blocked %s did not return after Close", name)
		}
	}
}

// fdOpen reports whether fd is open.
func fdOpen(fd int) bool {
	_, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0)
	return err == nil
}

// Open takes ownership of the fd (closed with the pipe) and
// makes it non-blocking; an OS pipe's read end cannot be written, its
// write end cannot be read; an fd that is neither a socket nor a pipe is
// EINVAL, a closed one EBADF, and on error the fd stays the caller's.
func TestOpenFD(t *testing.T) {
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0) // blocking
	require.NoError(t, err)
	defer unix.Close(fds[1])
	p, err := pipe.Open(fds[0])
	require.NoError(t, err)
	fl, err := unix.FcntlInt(uintptr(fds[0]), unix.F_GETFL, 0)
	require.NoError(t, err)
	assert.NotZero(t, fl&unix.O_NONBLOCK, "Open sets O_NONBLOCK")
	_, err = unix.Write(fds[1], []byte("in"))
	require.NoError(t, err)
	p.SetDeadline(time.Now().Add(10 * time.Second))
	b := make([]byte, 2)
	_, err = io.ReadFull(p, b)
	require.NoError(t, err)
	assert.Equal(t, "in", string(b))
	require.NoError(t, p.Close())
	assert.False(t, fdOpen(fds[0]), "the pipe owned the fd and closed it")

	var pp [2]int
	require.NoError(t, unix.Pipe2(pp[:], unix.O_CLOEXEC))
	r, err := pipe.Open(pp[0])
	require.NoError(t, err)
	defer r.Close()
	w, err := pipe.Open(pp[1])
	require.NoError(t, err)
	defer w.Close()
	_, err = r.Write([]byte("x"))
	assert.ErrorIs(t, err, syscall.EPIPE, "a read-only end cannot be written")
	w.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, err = w.Read(make([]byte, 1))
	assert.Equal(t, io.EOF, err, "a write-only end has nothing to read: it ends at once, as in bare-pipe")

	f, err := os.CreateTemp(t.TempDir(), "regular")
	require.NoError(t, err)
	defer f.Close()
	_, err = pipe.Open(int(f.Fd()))
	assert.ErrorIs(t, err, syscall.EINVAL)
	assert.True(t, fdOpen(int(f.Fd())), "the fd stays the caller's on error")

	var gone [2]int
	require.NoError(t, unix.Pipe2(gone[:], unix.O_CLOEXEC))
	unix.Close(gone[0])
	unix.Close(gone[1])
	_, err = pipe.Open(gone[0])
	assert.ErrorIs(t, err, syscall.EBADF)
}

// A reading pipe keeps its loop alive; once unref'd it does
// not (Loop.Wait returns) and Ref brings it back; the same for a server.
func TestRefUnref(t *testing.T) {
	l := uvtest.NewLoop(t)
	a, b, err := pipe.Config{Loop: l}.SocketPair()
	require.NoError(t, err)
	defer a.Close()
	defer b.Close()
	require.NoError(t, a.OnRead(func([]byte, error) {}))
	assert.Positive(t, l.Refs(), "a reading pipe keeps the loop alive")
	short, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	assert.ErrorIs(t, l.Wait(short), context.DeadlineExceeded)
	cancel()

	a.Unref()
	assert.Equal(t, 0, l.Refs())
	require.NoError(t, l.Wait(waitCtx(t)), "an unref'd pipe does not keep the loop alive")
	a.Ref()
	assert.Positive(t, l.Refs())
	a.Unref()

	srv, _ := listenT(t, pipe.ServerConfig{Config: pipe.Config{Loop: l}}, "")
	assert.Positive(t, l.Refs(), "a listening server keeps the loop alive")
	srv.Unref()
	require.NoError(t, l.Wait(waitCtx(t)))
	srv.Ref()
	assert.Positive(t, l.Refs())
	require.NoError(t, a.OnRead(nil))
}
