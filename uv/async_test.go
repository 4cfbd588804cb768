//go:build cgo

package uv_test

import (
	"context"
	"net"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/uv"
	"github.com/uvpipe/uvpipe/uv/uvtest"
)

func TestAsyncSendRunsOnLoopCoalesced(t *testing.T) {
	l := uvtest.NewLoop(t)
	var calls atomic.Int64
	got := make(chan struct{}, 1)
	var a *uv.Async
	a, err := uv.NewAsync(l, func() {
		assert.True(t, l.InLoop(), "the callback runs under the loop lock")
		calls.Add(1)
		select {
		case got <- struct{}{}:
		default:
		}
	})
	require.NoError(t, err)
	assert.False(t, l.InLoop())
	const senders, each = 8, 1000
	var wg sync.WaitGroup
	for range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				assert.NoError(t, a.Send())
			}
		}()
	}
	wg.Wait()
	select {
	case <-got:
	case <-time.After(20 * time.Second):
		t.Fatal("the async callback never ran")
	}
	assert.LessOrEqual(t, calls.Load(), int64(senders*each), "sends are coalesced, never multiplied")
	require.NoError(t, a.Close())
	assert.ErrorIs(t, a.Send(), net.ErrClosed)
}

func TestAsyncKeepsLoopAliveUntilUnref(t *testing.T) {
	l := uvtest.NewLoop(t)
	a, err := uv.NewAsync(l, nil)
	require.NoError(t, err)
	assert.Equal(t, 1, l.Refs())
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	assert.ErrorIs(t, l.Wait(ctx), context.DeadlineExceeded, "a ref'd async keeps the loop alive")
	cancel()
	a.Unref()
	assert.False(t, a.HasRef())
	assert.Equal(t, 0, l.Refs())
	ctx, cancel = context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	assert.NoError(t, l.Wait(ctx))
	a.Ref()
	assert.Equal(t, 1, l.Refs())
	require.NoError(t, a.Close())
	assert.Equal(t, 0, l.Refs())
}

func TestAsyncOnCloseRunsWhenLoopCloses(t *testing.T) {
	l, err := uv.NewLoop()
	require.NoError(t, err)
	a, err := uv.NewAsync(l, func() {})
	require.NoError(t, err)
	closed := make(chan struct{})
	a.OnClose(func() { close(closed) })
	// Senders racing with the close must neither crash nor send to freed memory.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
					a.Send()
				}
			}
		}()
	}
	require.NoError(t, l.Close())
	close(stop)
	wg.Wait()
	select {
	case <-closed:
	default:
		t.Fatal("OnClose did not run when the loop closed")
	}
	assert.ErrorIs(t, a.Send(), net.ErrClosed)
	assert.NoError(t, a.Close(), "closed with its loop")
}

// Send fails with net.ErrClosed as soon as the handle starts to close, not
// only once its close callback ran: Close inside the loop returns before
// that callback, and a Send then must not reach uv_async_send on a closing
// handle (libuv for Windows asserts it never does).
func TestAsyncSendFailsOnceCloseStarted(t *testing.T) {
	l := uvtest.NewLoop(t)
	a, err := uv.NewAsync(l, func() {})
	require.NoError(t, err)
	var sendErr error
	require.NoError(t, l.Do(func() {
		require.NoError(t, a.Close()) // inside the loop: starts the close only
		sendErr = a.Send()
	}))
	assert.ErrorIs(t, sendErr, net.ErrClosed)
	assert.NoError(t, a.Close())
}

// Senders racing with Close itself (the loop stays open) neither crash nor
// send to a closing handle; once Close returned, Send fails.
func TestAsyncSendRacesClose(t *testing.T) {
	l := uvtest.NewLoop(t)
	for range 20 {
		a, err := uv.NewAsync(l, func() {})
		require.NoError(t, err)
		stop := make(chan struct{})
		var wg sync.WaitGroup
		var sent atomic.Int64
		for range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
						if a.Send() == nil {
							sent.Add(1)
						}
					}
				}
			}()
		}
		for sent.Load() < 10 {
			runtime.Gosched()
		}
		require.NoError(t, a.Close())
		assert.ErrorIs(t, a.Send(), net.ErrClosed)
		close(stop)
		wg.Wait()
	}
}
