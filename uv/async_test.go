//go:build cgo

package uv_test

import (
	"context"
	"net"
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
