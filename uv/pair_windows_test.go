//go:build cgo

package uv_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
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
	a, b, err := connectPipes(la, lb, ipc)
	require.NoError(t, err)
	t.Cleanup(func() { b.Close() })
	t.Cleanup(func() { a.Close() })
	return a, b
}

// connectPipes is pipePairLoops for code without a testing.TB: the first
// end is the server's side of the instance (accepted on la), the second the
// client's (connected on lb). They close with their loops, or by the caller.
func connectPipes(la, lb *uv.Loop, ipc bool) (*uv.Pipe, *uv.Pipe, error) {
	name := pipeName()
	srv, err := uv.NewPipe(la, false, 0)
	if err != nil {
		return nil, nil, err
	}
	defer srv.Close()
	if err := srv.Bind(name); err != nil {
		return nil, nil, err
	}
	if err := srv.Listen(1); err != nil {
		return nil, nil, err
	}
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
	if err != nil {
		srv.Close()
		<-got
		return nil, nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := b.Connect(ctx, name); err != nil {
		b.Close()
		srv.Close()
		if a := <-got; a.p != nil {
			a.p.Close()
		}
		return nil, nil, err
	}
	a := <-got
	if a.err != nil {
		b.Close()
		return nil, nil, a.err
	}
	return a.p, b, nil
}

// noPipeHalfClose skips a test that needs a pipe's half close: a named pipe
// has none on Windows. libuv's uv_shutdown there flushes, and the peer sees
// the end only when the pipe closes, which libuv does after the shutdown
// only while the shutting side reads (its EOF timer).
func noPipeHalfClose(t testing.TB) {
	t.Helper()
	t.Skip("named pipes have no half close on Windows (libuv ends the peer's stream only when the pipe closes)")
}

// pipesHalfClose tells whether a test pipe can go on reading after its
// write side ended: a named pipe cannot (see noPipeHalfClose).
const pipesHalfClose = false

// endWrite ends p's write side once what was written went out, so that the
// peer reads EOF after it: on Windows, where a named pipe has no half close,
// it waits for the peer to have read what was written (uv_shutdown flushes)
// and closes p.
func endWrite(p *uv.Pipe) error {
	if err := p.CloseWrite(); err != nil {
		return err
	}
	return p.Close()
}

// passable is a handle that an IPC test pipe can send, and the type it
// arrives as: on Windows only TCP handles cross, so a listener on l.
func passable(t *testing.T, l *uv.Loop) (uv.IPCAcceptable, uv.HandleType) {
	t.Helper()
	return listener(t, l), uv.TCPHandle
}

// passableFD is a socket that WriteFD can send, and its type: a Go TCP
// listener's SOCKET (the listener closes with the test).
func passableFD(t testing.TB) (int, uv.HandleType) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { ln.Close() })
	rc, err := ln.(*net.TCPListener).SyscallConn()
	require.NoError(t, err)
	var fd int
	require.NoError(t, rc.Control(func(s uintptr) { fd = int(s) }))
	return fd, uv.TCPHandle
}

// listenPath is a fresh name for a pipe server to bind: a named pipe goes
// away with its last handle, so there is nothing to clean up.
func listenPath() (string, func(), error) { return pipeName(), func() {}, nil }

// dialPath connects to the pipe server named path without package uv: the
// named pipe opened as a file.
func dialPath(path string) (io.Closer, error) {
	p, err := syscall.UTF16PtrFromString(path)
	if err != nil {
		return nil, err
	}
	h, err := syscall.CreateFile(p, syscall.GENERIC_READ|syscall.GENERIC_WRITE, 0, nil, syscall.OPEN_EXISTING, 0, 0)
	if err != nil {
		return nil, os.NewSyscallError("CreateFile", err)
	}
	return os.NewFile(uintptr(h), path), nil
}

// assertClosedWriteCounted checks what the peer read (all) of a Write of p
// that a close interrupted after it returned n: a prefix of p, of which n
// counts the requests that completed. Not exactly p[:n], as on unix: the
// peer reads straight from a named pipe write that waits, and a close ends
// that write reporting none of its bytes transferred (under Wine its
// OVERLAPPED says 0 whatever the peer read), so the part of it the peer had
// read is not counted (see Stream.Write).
func assertClosedWriteCounted(t *testing.T, p []byte, n int, all []byte) {
	t.Helper()
	assert.GreaterOrEqual(t, len(all), n, "n counts what arrived")
	assert.True(t, bytes.Equal(p[:min(len(all), len(p))], all), "what arrived is a prefix of p")
}
