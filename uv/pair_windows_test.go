//go:build cgo

package uv_test

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/uv"
)

// pipeSeq makes every test pipe name of the process unique.
var pipeSeq atomic.Int64

// pipeName is a fresh named pipe name for one test.
func pipeName() string {
	return fmt.Sprintf(`\\.\pipe\uvpipe-test-%d-%d`, os.Getpid(), pipeSeq.Add(1))
}

// pipePair is Windows' stand-in for a unix socket pair: the two ends of one
// named pipe instance, both on loop l (made with ipc for an IPC pair). The
// listening end is closed once they are connected; the ends close with the
// test.
func pipePair(t testing.TB, l *uv.Loop, ipc bool) (*uv.Pipe, *uv.Pipe) {
	return pipePairLoops(t, l, l, ipc)
}

// pipePairLoops is pipePair with the first end on loop la, the second on lb.
func pipePairLoops(t testing.TB, la, lb *uv.Loop, ipc bool) (*uv.Pipe, *uv.Pipe) {
	t.Helper()
	name := pipeName()
	srv, err := uv.NewPipe(la, false, 0)
	require.NoError(t, err)
	defer srv.Close()
	require.NoError(t, srv.Bind(name))
	require.NoError(t, srv.Listen(1))
	type accepted struct {
		p   *uv.Pipe
		err error
	}
	got := make(chan accepted, 1)
	go func() {
		p, err := srv.Accept(ipc, 0)
		got <- accepted{p, err}
	}()
	b, err := uv.NewPipe(lb, ipc, 0)
	require.NoError(t, err)
	t.Cleanup(func() { b.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	require.NoError(t, b.Connect(ctx, name))
	a := <-got
	require.NoError(t, a.err)
	t.Cleanup(func() { a.p.Close() })
	return a.p, b
}

// noPipeHalfClose skips a test that needs a pipe's half close: a named pipe
// has none on Windows. libuv's uv_shutdown there flushes, and the peer sees
// the end only when the pipe closes, which libuv does after the shutdown
// only while the shutting side reads (its EOF timer).
func noPipeHalfClose(t testing.TB) {
	t.Helper()
	t.Skip("named pipes have no half close on Windows (libuv ends the peer's stream only when the pipe closes)")
}
