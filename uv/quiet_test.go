//go:build cgo && !windows

package uv_test

import (
	"fmt"
	"io"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/uvpipe/uvpipe/uv"
	"github.com/uvpipe/uvpipe/uv/uvtest"
)

// A blocking Read on an IPC pipe takes small reads from the C buffer after
// the pass (no read callback), with the bytes and the handles in place and
// the EOF as the callback gives them.
func TestQuietReadsKeepBytesHandlesAndEOF(t *testing.T) {
	mine := playAgainstPeer(t, uvtest.NewLoop(t), uvtest.NewLoop(t), "q")
	assert.NotZero(t, uv.QuietReads(&mine.Stream), "answers were taken after the pass")
}

// rawPipe opens one end of a socket pair as a pipe on l and returns the
// other end's fd.
func rawPipe(t *testing.T, l *uv.Loop, ipc bool) (*uv.Pipe, int) {
	t.Helper()
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	require.NoError(t, err)
	t.Cleanup(func() { unix.Close(fds[1]) })
	return openPipe(t, l, fds[0], ipc), fds[1]
}

// A read that finds the C buffer still holding a quiet read's bytes gets no
// room: those bytes go to Go first and the new ones are read at the next
// pass, in order; an end read after a quiet read comes after its bytes.
func TestQuietReadMakesRoomForTheNext(t *testing.T) {
	for _, ipc := range []bool{false, true} {
		l, err := uv.LoopConfig{Manual: true}.NewLoop()
		require.NoError(t, err)
		p, fd := rawPipe(t, l, ipc)
		write := func(s string) func() {
			return func() {
				_, err := unix.Write(fd, []byte(s))
				require.NoError(t, err)
			}
		}
		nothing := func() {}
		end := func() { require.NoError(t, unix.Shutdown(fd, unix.SHUT_WR)) }
		require.NoError(t, uv.QuietPasses(&p.Stream, []func(){write("a"), write("b"), nothing, write("c"), end}))
		got, err := io.ReadAll(p)
		require.NoError(t, err)
		assert.Equal(t, "abc", string(got), "ipc %v", ipc)
		assert.NotZero(t, uv.QuietReads(&p.Stream))
		require.NoError(t, p.Close())
		require.NoError(t, l.Close())
	}
}

// A handle that comes after a quiet read stays after that read's bytes.
func TestQuietReadThenHandle(t *testing.T) {
	l, err := uv.LoopConfig{Manual: true}.NewLoop()
	require.NoError(t, err)
	defer func() { require.NoError(t, l.Close()) }()
	p, fd := rawPipe(t, l, true)
	defer p.Close()
	sent, other, err := os.Pipe()
	require.NoError(t, err)
	defer sent.Close()
	defer other.Close()
	write := func() {
		_, err := unix.Write(fd, []byte("a"))
		require.NoError(t, err)
	}
	sendHandle := func() {
		require.NoError(t, unix.Sendmsg(fd, []byte("h"), unix.UnixRights(int(sent.Fd())), nil, 0))
	}
	require.NoError(t, uv.QuietPasses(&p.Stream, []func(){write, sendHandle, func() {}}))
	buf := make([]byte, 8)
	n, hs, err := p.ReadHandles(buf)
	require.NoError(t, err)
	assert.Empty(t, hs, "no handle before the quiet read's byte")
	assert.Equal(t, "a", string(buf[:n]))
	n, hs, err = p.ReadHandles(buf)
	require.NoError(t, err)
	require.Len(t, hs, 1, "the handle, before its byte")
	assert.Equal(t, "h", string(buf[:n]))
	require.NoError(t, hs[0].Close())
}

// A blocking Read that lends its buffer learns the length of a read that
// did not fill it after the pass, with no read callback; the bytes are the
// peer's, in order, and the end comes after them.
func TestQuietLentReads(t *testing.T) {
	peerLoop, l := uvtest.NewLoop(t), uvtest.NewLoop(t)
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	require.NoError(t, err)
	mine, theirs := openPipe(t, l, fds[0], false), openPipe(t, peerLoop, fds[1], false)
	go func() {
		io.Copy(theirs, theirs)
		theirs.CloseWrite()
	}()
	buf := make([]byte, 4096) // lent: larger than minLend, never filled
	for i := 0; i < 200; i++ {
		msg := []byte(fmt.Sprintf("message %d", i))
		_, err := mine.Write(msg)
		require.NoError(t, err)
		var got []byte
		for len(got) < len(msg) {
			n, err := mine.Read(buf)
			require.NoError(t, err)
			got = append(got, buf[:n]...)
		}
		require.Equal(t, string(msg), string(got))
	}
	require.NoError(t, mine.CloseWrite())
	_, err = mine.Read(buf)
	require.ErrorIs(t, err, io.EOF)
	assert.NotZero(t, uv.QuietReads(&mine.Stream), "echoes were taken after the pass")
}
