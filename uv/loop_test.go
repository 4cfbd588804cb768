//go:build cgo && !windows

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

func TestLoopStartsRunsAndClosesEmpty(t *testing.T) {
	l, err := uv.NewLoop()
	require.NoError(t, err)
	fired := make(chan struct{})
	tm, err := uv.NewTimer(l, func() { close(fired) })
	require.NoError(t, err)
	require.NoError(t, tm.Start(time.Millisecond, 0))
	assert.Equal(t, 1, l.HandleCount())
	<-fired // the background leader ran the timer
	require.NoError(t, tm.Close())
	assert.Equal(t, 0, l.HandleCount())
	require.NoError(t, l.Close())
	require.NoError(t, l.Close(), "Close is idempotent")
	assert.ErrorIs(t, l.Do(func() {}), uv.ErrLoopClosed)
}

func TestLoopCloseClosesHandlesLeftOpen(t *testing.T) {
	l, err := uv.NewLoop()
	require.NoError(t, err)
	tcp, err := uv.NewTCP(l)
	require.NoError(t, err)
	require.NoError(t, l.Close())
	assert.NoError(t, tcp.Close(), "the handle was closed with its loop")
	assert.Equal(t, 0, l.HandleCount())
}

func TestDefaultLoopCannotBeClosed(t *testing.T) {
	assert.Error(t, uv.Default().Close())
	assert.Same(t, uv.Default(), uv.Default())
}

func TestPostKeepsPerGoroutineOrder(t *testing.T) {
	l := uvtest.NewLoop(t)
	const goroutines, each = 100, 10000
	seen := make([]int, goroutines) // touched only under the loop lock
	var bad atomic.Int64
	var done sync.WaitGroup
	done.Add(goroutines * each)
	for g := 0; g < goroutines; g++ {
		go func() {
			for i := 0; i < each; i++ {
				l.Post(func() {
					if seen[g] != i {
						bad.Add(1)
					}
					seen[g] = i + 1
					done.Done()
				})
			}
		}()
	}
	done.Wait()
	assert.Zero(t, bad.Load(), "functions ran out of order")
	require.NoError(t, l.Do(func() {
		for g := range seen {
			assert.Equal(t, each, seen[g])
		}
	}))
}

func TestDoRunsUnderTheLoopLock(t *testing.T) {
	l := uvtest.NewLoop(t)
	n := 0
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 1000; i++ {
				l.Do(func() { n++ })
			}
		}()
	}
	wg.Wait()
	l.Do(func() { assert.Equal(t, 8000, n) })
}

func TestPanicInDoReachesCaller(t *testing.T) {
	l := uvtest.NewLoop(t)
	assert.PanicsWithValue(t, "boom", func() { l.Do(func() { panic("boom") }) })
	assert.NoError(t, l.Do(func() {}), "the lock was released")
}

func TestWaitReturnsWhenNoRefLeft(t *testing.T) {
	l := uvtest.NewLoop(t)
	tm, err := uv.NewTimer(l, nil)
	require.NoError(t, err)
	require.NoError(t, tm.Start(20*time.Millisecond, 0))
	assert.Equal(t, 1, l.Refs())
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(t, l.Wait(ctx), "the timer fired and the loop has no ref left")
	assert.Equal(t, 0, l.Refs())

	require.NoError(t, tm.Start(time.Hour, 0))
	tm.Unref()
	assert.False(t, tm.HasRef())
	require.NoError(t, l.Wait(ctx), "an unreferenced timer does not keep the loop alive")
	tm.Ref()
	short, cancel2 := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel2()
	assert.ErrorIs(t, l.Wait(short), context.DeadlineExceeded)
	require.NoError(t, tm.Close())
}

// The libuv linked is the one whose headers the package was compiled
// against, and in the default build the one pinned (version_pin_test.go).
func TestVersion(t *testing.T) {
	assert.Equal(t, uv.HeaderVersion(), uv.Version())
	if pinned != "" {
		assert.Equal(t, pinned, uv.Version())
	}
}

// Closing a loop while goroutines wait on its handles (one leading, one
// following) ends their waits with net.ErrClosed, and leaves nothing behind.
func TestLoopCloseWithWaitersBlocked(t *testing.T) {
	l, err := uv.NewLoop()
	require.NoError(t, err)
	a, b := pipePair(t, l, false)
	errs := make(chan error, 2)
	for _, p := range []*uv.Pipe{a, b} {
		go func() {
			_, err := p.Read(make([]byte, 1))
			errs <- err
		}()
	}
	time.Sleep(20 * time.Millisecond) // let both block (the result does not depend on it)
	require.NoError(t, l.Close())
	for i := 0; i < 2; i++ {
		select {
		case err := <-errs:
			assert.ErrorIs(t, err, net.ErrClosed)
		case <-time.After(10 * time.Second):
			t.Fatal("a Read stayed blocked after its loop closed")
		}
	}
}
