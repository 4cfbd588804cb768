//go:build cgo && !windows

package uv_test

import (
	"context"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/internal/wait"
	"github.com/uvpipe/uvpipe/uv"
)

// spinLoop makes a loop with the given spin, closed when the test ends.
func spinLoop(t *testing.T, spin time.Duration) *uv.Loop {
	t.Helper()
	l, err := uv.Tuned(uv.LoopConfig{}, wait.Config{Spin: spin}).NewLoop()
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, l.Close()) })
	return l
}

// withProcs runs the test with GOMAXPROCS n: the spin only runs with more
// than one P.
func withProcs(t *testing.T, n int) {
	old := runtime.GOMAXPROCS(n)
	t.Cleanup(func() { runtime.GOMAXPROCS(old) })
}

// With a budget no answer outlasts, every wait ends while the leader polls
// (none blocks), and the reads it then makes keep the bytes, the handles in
// place and the EOF; with spinning off waits block.
func TestSpinningLeaderReadsLikeABlockedOne(t *testing.T) {
	withProcs(t, 2)
	for _, tc := range []struct {
		name string
		spin time.Duration
	}{{"spin", time.Minute}, {"off", -1}} {
		t.Run(tc.name, func(t *testing.T) {
			peerLoop, l := spinLoop(t, tc.spin), spinLoop(t, tc.spin)
			playAgainstPeer(t, l, peerLoop, "s")
			if tc.spin > 0 && runtime.NumCPU() == 1 {
				assert.Zero(t, uv.SpinHits(l)+uv.SpinHits(peerLoop), "with one CPU no answer can come while a leader polls: it does not")
			} else if tc.spin > 0 {
				assert.NotZero(t, uv.SpinHits(l), "answers came while the reader's leader polled")
				assert.NotZero(t, uv.SpinHits(peerLoop))
				assert.Zero(t, uv.BlockingWaits(l)+uv.BlockingWaits(peerLoop), "no wait outlasted a minute's spin")
			} else {
				assert.Zero(t, uv.SpinHits(l)+uv.SpinHits(peerLoop))
				assert.NotZero(t, uv.BlockingWaits(l), "without the spin, waits block")
			}
		})
	}
}

// A leader polling with a budget longer than the test still sees wake-ups:
// a posted function runs and Close ends the blocked Read.
func TestSpinningLeaderSeesWakeUps(t *testing.T) {
	withProcs(t, 2)
	l, err := uv.Tuned(uv.LoopConfig{}, wait.Config{Spin: time.Hour}).NewLoop()
	require.NoError(t, err)
	a, _ := pipePair(t, l, false)
	readErr := make(chan error, 1)
	go func() {
		_, err := a.Read(make([]byte, 8))
		readErr <- err
	}()
	ran := make(chan struct{})
	var once sync.Once
	for deadline := time.Now().Add(10 * time.Second); ; {
		// Posting before the Read leads proves nothing: post until the
		// function runs, each time to a leader that may be polling.
		l.Post(func() { once.Do(func() { close(ran) }) })
		select {
		case <-ran:
		case <-time.After(10 * time.Millisecond):
			require.True(t, time.Now().Before(deadline), "a posted function never ran")
			continue
		}
		break
	}
	require.NoError(t, l.Close())
	select {
	case err := <-readErr:
		assert.Error(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not end the Read of a polling leader")
	}
}

// With one P, the leader yields before it blocks only when a goroutine
// waits for the P: it must see one that the calling goroutine just made
// runnable (and which would otherwise wait for sysmon to take the P).
func TestLeaderSeesGoroutinesWaitingForTheP(t *testing.T) {
	withProcs(t, 1)
	l := spinLoop(t, 0)
	wake, done := make(chan struct{}), make(chan struct{})
	go func() {
		<-wake
		close(done)
	}()
	runtime.Gosched() // let it block on wake
	wake <- struct{}{}
	assert.NotZero(t, uv.Runnable(l), "the goroutine just woken waits for the only P")
	<-done
}

// A read handed to a blocking Read wakes nobody, so the leader need not
// yield for it (the yield costs a wake-up of another thread when Ps are
// idle); a read handler may wake anyone, so it must.
func TestOnlyHandlersMakeTheLeaderYield(t *testing.T) {
	l, err := uv.LoopConfig{Manual: true}.NewLoop()
	require.NoError(t, err)
	defer func() { require.NoError(t, l.Close()) }()
	a, b := pipePair(t, l, false)
	defer a.Close()
	defer b.Close()
	buf := make([]byte, 8)
	_, err = a.Write([]byte("x"))
	require.NoError(t, err)
	_, err = b.Read(buf)
	require.NoError(t, err)
	assert.False(t, uv.RanHandler(l), "a blocking Read's data")

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	require.NoError(t, b.OnRead(func([]byte, error) { cancel() }))
	_, err = a.Write([]byte("y"))
	require.NoError(t, err)
	require.ErrorIs(t, l.Run(ctx), context.Canceled)
	assert.True(t, uv.RanHandler(l), "a read handler")
}
