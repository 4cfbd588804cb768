//go:build cgo

package uv_test

import (
	"bytes"
	"context"
	"io"
	"net"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/uv"
	"github.com/uvpipe/uvpipe/uv/uvtest"
)

func TestStreamReadWriteAndHalfClose(t *testing.T) {
	noPipeHalfClose(t)
	l := uvtest.NewLoop(t)
	a, b := pipePair(t, l, false)
	msg := bytes.Repeat([]byte("hello uv "), 1000)
	go func() {
		a.Write(msg)
		a.CloseWrite()
	}()
	got, err := io.ReadAll(b)
	require.NoError(t, err)
	assert.Equal(t, msg, got)
	// The other direction still works after a's half close.
	_, err = b.Write([]byte("back"))
	require.NoError(t, err)
	buf := make([]byte, 10)
	n, err := io.ReadAtLeast(a, buf, 4)
	require.NoError(t, err)
	assert.Equal(t, "back", string(buf[:n]))
}

func TestStreamLargeTransferIntact(t *testing.T) {
	noPipeHalfClose(t)
	l := uvtest.NewLoop(t)
	a, b := pipePair(t, l, false)
	msg := make([]byte, 8<<20)
	for i := range msg {
		msg[i] = byte(i * 7)
	}
	errc := make(chan error, 1)
	go func() {
		_, err := a.Write(msg)
		a.CloseWrite()
		errc <- err
	}()
	got, err := io.ReadAll(b)
	require.NoError(t, err)
	require.NoError(t, <-errc)
	assert.True(t, bytes.Equal(msg, got), "8 MiB arrived intact")
}

func TestReadDeadline(t *testing.T) {
	l := uvtest.NewLoop(t)
	a, _ := pipePair(t, l, false)
	require.NoError(t, a.SetReadDeadline(time.Now().Add(20*time.Millisecond)))
	_, err := a.Read(make([]byte, 1))
	assert.ErrorIs(t, err, os.ErrDeadlineExceeded)

	// A deadline moved into the past unblocks a Read that waits.
	require.NoError(t, a.SetReadDeadline(time.Time{}))
	errc := make(chan error)
	go func() {
		_, err := a.Read(make([]byte, 1))
		errc <- err
	}()
	time.Sleep(10 * time.Millisecond)
	require.NoError(t, a.SetReadDeadline(time.Now().Add(-time.Second)))
	assert.ErrorIs(t, <-errc, os.ErrDeadlineExceeded)
}

func TestCloseUnblocksRead(t *testing.T) {
	l := uvtest.NewLoop(t)
	a, _ := pipePair(t, l, false)
	errc := make(chan error)
	go func() {
		_, err := a.Read(make([]byte, 1))
		errc <- err
	}()
	time.Sleep(10 * time.Millisecond)
	require.NoError(t, a.Close())
	assert.ErrorIs(t, <-errc, net.ErrClosed)
	require.NoError(t, a.Close(), "Close is idempotent")
	_, err := a.Write([]byte("x"))
	assert.ErrorIs(t, err, net.ErrClosed)
}

// Writes queued behind a full socket fail with net.ErrClosed when the stream
// is closed, and nothing leaks (the suite counts fds and goroutines).
func TestCloseFailsQueuedWrites(t *testing.T) {
	l := uvtest.NewLoop(t)
	a, _ := pipePair(t, l, false) // nobody reads b
	big := make([]byte, 16<<20)
	errc := make(chan error, 1)
	go func() {
		_, err := a.Write(big)
		errc <- err
	}()
	require.Eventually(t, func() bool { return a.WriteQueueSize() > 0 }, 10*time.Second, time.Millisecond)
	require.NoError(t, a.Close())
	assert.ErrorIs(t, <-errc, net.ErrClosed)
}

func TestCloseFailsWritesQueuedByHandlers(t *testing.T) {
	l := uvtest.NewLoop(t)
	a, _ := pipePair(t, l, false)
	big := make([]byte, 4<<20)
	var n int
	var werr error
	require.NoError(t, l.Do(func() { n, werr = a.Write(big) }))
	require.NoError(t, werr, "inside Do the rest is queued, not waited for")
	assert.Equal(t, len(big), n)
	assert.Greater(t, a.WriteQueueSize(), 0)
	require.NoError(t, a.Close())
}

func TestEventStyleEchoInsideTheReadCallback(t *testing.T) {
	noPipeHalfClose(t)
	l := uvtest.NewLoop(t)
	a, b := pipePair(t, l, false)
	require.NoError(t, b.OnRead(func(data []byte, err error) {
		if err != nil {
			b.Close() // inside a handler: starts the close, returns at once
			return
		}
		b.Write(data) // echo from inside the callback
	}))
	for i := 0; i < 100; i++ {
		msg := []byte{byte(i), 1, 2, 3}
		_, err := a.Write(msg)
		require.NoError(t, err)
		got := make([]byte, 4)
		_, err = io.ReadFull(a, got)
		require.NoError(t, err)
		require.Equal(t, msg, got)
	}
	require.NoError(t, a.CloseWrite())
	_, err := a.Read(make([]byte, 1))
	assert.ErrorIs(t, err, io.EOF, "b closed itself on EOF")
}

func TestReadInsideHandlerDoesNotBlock(t *testing.T) {
	l := uvtest.NewLoop(t)
	a, _ := pipePair(t, l, false)
	var err error
	l.Do(func() { _, err = a.Read(make([]byte, 1)) })
	assert.ErrorIs(t, err, uv.ErrWouldBlock)
}

func TestDialCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	l := uvtest.NewLoop(t)
	_, err := uv.DialTCP(ctx, l, &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 1})
	assert.Error(t, err)
}

// A handler set after a Read met the end is told of the end at once, as
// the call that sets it: a reader that switches to the event style late
// still learns that the stream ended.
func TestOnReadAfterTheEndReportsIt(t *testing.T) {
	noPipeHalfClose(t)
	l := uvtest.NewLoop(t)
	a, b := pipePair(t, l, false)
	_, err := a.Write([]byte("abcdef"))
	require.NoError(t, err)
	require.NoError(t, a.CloseWrite())
	got, err := io.ReadAll(b) // reads up to and including the end
	require.NoError(t, err)
	require.Equal(t, "abcdef", string(got))
	var calls []error
	require.NoError(t, l.Do(func() {
		require.NoError(t, b.OnRead(func(data []byte, err error) {
			assert.Empty(t, data)
			calls = append(calls, err)
		}))
	}))
	require.Len(t, calls, 1, "the end is reported during OnRead")
	assert.ErrorIs(t, calls[0], io.EOF)
}
