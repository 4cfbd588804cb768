//go:build cgo && !windows

package uv_test

import (
	"bytes"
	"io"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/uvpipe/uvpipe/internal/bench"
	"github.com/uvpipe/uvpipe/internal/wait"
	"github.com/uvpipe/uvpipe/uv"
)

// holdLoop makes a loop with the given hold and no background leader (whose
// own waits would hold too), closed when the test ends.
func holdLoop(t *testing.T, hold time.Duration) *uv.Loop {
	t.Helper()
	l, err := uv.Tuned(uv.LoopConfig{Manual: true}, wait.Config{Hold: hold, Breath: -1}).NewLoop()
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, l.Close()) })
	return l
}

// quietDefault keeps the default loop's background leader (which the test
// binary starts) out of its blocking wait while the test runs: there it
// counts as a goroutine in a system call, and no other loop's leader would
// hold. It waits for the loop lock instead, which a function given to Do
// keeps; the posted function wakes it from its wait.
func quietDefault(t *testing.T, l *uv.Loop) {
	t.Helper()
	entered, release, done := make(chan struct{}), make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		uv.Default().Do(func() {
			uv.Default().Post(func() {})
			close(entered)
			<-release
		})
	}()
	<-entered
	t.Cleanup(func() {
		close(release)
		<-done
	})
	for deadline := time.Now().Add(10 * time.Second); uv.OutsideGo(l) > 0; {
		require.True(t, time.Now().Before(deadline), "goroutines stay in system calls")
		time.Sleep(time.Millisecond)
	}
}

// echoPeer starts this test binary as a raw echo peer in another process
// and opens its end as a pipe on l.
func echoPeer(t *testing.T, l *uv.Loop) (*uv.Pipe, func() error) {
	t.Helper()
	fd, waitPeer, err := bench.ExecStarter(os.Args[0], []string{"-test.run=^$"}, childEnv)("raw")
	require.NoError(t, err)
	return openPipe(t, l, fd, false), waitPeer
}

// echoRounds writes numbered 64-byte messages to p and reads each echo
// back whole, then ends its side and reads the peer's EOF.
func echoRounds(t *testing.T, p *uv.Pipe, rounds int) {
	t.Helper()
	msg, got := make([]byte, 64), make([]byte, 64)
	for i := 0; i < rounds; i++ {
		copy(msg, bytes.Repeat([]byte{byte('a' + i%26)}, 64))
		_, err := p.Write(msg)
		require.NoError(t, err)
		_, err = io.ReadFull(p, got)
		require.NoError(t, err)
		require.Equal(t, msg, got, "round %d", i)
	}
	require.NoError(t, p.CloseWrite())
	_, err := p.Read(got)
	require.ErrorIs(t, err, io.EOF)
}

// With one P, the answers of a peer in another process end held waits (the
// leader keeps its P and is not rescheduled), and are read as a blocked
// wait reads them; with holding off, no wait holds.
func TestHeldWaitReadsAnotherProcessesAnswers(t *testing.T) {
	skipWithoutEpoll(t)
	withProcs(t, 1)
	for _, tc := range []struct {
		name string
		hold time.Duration
	}{{"hold", time.Minute}, {"off", -1}} {
		t.Run(tc.name, func(t *testing.T) {
			l := holdLoop(t, tc.hold)
			quietDefault(t, l)
			p, waitPeer := echoPeer(t, l)
			echoRounds(t, p, 300)
			require.NoError(t, waitPeer())
			held, hits := uv.Holds(l)
			if tc.hold > 0 {
				assert.NotZero(t, hits, "answers from another process ended held waits")
				assert.LessOrEqual(t, hits, held)
			} else {
				assert.Zero(t, held)
			}
		})
	}
}

// A goroutine blocked in a system call is seen before a wait holds: it may
// return wanting the only P.
func TestLeaderSeesGoroutinesInSystemCalls(t *testing.T) {
	withProcs(t, 1)
	l := holdLoop(t, 0)
	r, w, err := os.Pipe()
	require.NoError(t, err)
	defer r.Close()
	fd := int(r.Fd()) // blocking mode: the read below is a real blocking read(2)
	done := make(chan struct{})
	go func() {
		defer close(done)
		unix.Read(fd, make([]byte, 1))
	}()
	for deadline := time.Now().Add(10 * time.Second); uv.OutsideGo(l) == 0; {
		require.True(t, time.Now().Before(deadline), "the reading goroutine never showed as in a system call")
		runtime.Gosched()
	}
	w.Write([]byte("x"))
	w.Close()
	<-done
}

// Holds that nothing ends make the next waits skip holding, twice as many
// after each: of n waits that time out, about log2(n) hold (the 1st, 3rd,
// 7th, 15th...), not n.
func TestHoldBacksOffWhenNothingComes(t *testing.T) {
	skipWithoutEpoll(t)
	withProcs(t, 1)
	l := holdLoop(t, time.Millisecond)
	quietDefault(t, l)
	a, _ := pipePair(t, l, false)
	buf := make([]byte, 8)
	// Every wait times out, so every one blocks in the end (a Read whose
	// deadline passed before it waited, on a loaded machine, adds none).
	for i := 0; i < 1000 && uv.BlockingWaits(l) < 40; i++ {
		require.NoError(t, a.SetReadDeadline(time.Now().Add(4*time.Millisecond)))
		_, err := a.Read(buf)
		require.ErrorIs(t, err, os.ErrDeadlineExceeded)
	}
	held, hits := uv.Holds(l)
	waits := uv.BlockingWaits(l)
	assert.Zero(t, hits)
	assert.GreaterOrEqual(t, waits, uint64(40))
	assert.GreaterOrEqual(t, held, uint64(2), "the first waits held")
	assert.LessOrEqual(t, 4*held, waits, "holds backed off: %d of %d waits held", held, waits)
}

// A leader holding the only P for longer than the test does not shut out
// the rest of the process: the runtime preempts it (its held wait returns
// early), so a goroutine sleeping meanwhile wakes and closes the pipe under
// the blocked Read.
func TestHeldWaitGivesWayToPreemption(t *testing.T) {
	withProcs(t, 1)
	l := holdLoop(t, time.Hour)
	quietDefault(t, l)
	a, _ := pipePair(t, l, false)
	readErr := make(chan error, 1)
	go func() {
		_, err := a.Read(make([]byte, 8))
		readErr <- err
	}()
	time.Sleep(20 * time.Millisecond) // the Read leads, and may hold, meanwhile
	require.NoError(t, a.Close())
	select {
	case err := <-readErr:
		assert.Error(t, err, "the Read ends with an error")
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not end a Read whose leader held the P")
	}
}

// skipWithoutEpoll skips a test of held waits where the poller does not wait
// in epoll_wait (the portable poller never holds).
func skipWithoutEpoll(t *testing.T) {
	t.Helper()
	if !wait.Epoll {
		t.Skip("the portable poller does not hold waits")
	}
}
