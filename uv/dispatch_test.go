//go:build cgo

package uv_test

import (
	"errors"
	"fmt"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/internal/wait"
	"github.com/uvpipe/uvpipe/uv"
	"github.com/uvpipe/uvpipe/uv/uvtest"
)

// dispatchRounds is how many ping-pong rounds the dispatch tests play.
const dispatchRounds = 200

// crossLoopPair is a pair of connected IPC pipes, one on each loop.
func crossLoopPair(t *testing.T, l, peerLoop *uv.Loop) (mine, theirs *uv.Pipe) {
	t.Helper()
	return pipePairLoops(t, l, peerLoop, true)
}

// pingPongPeer answers each line read on p (written by the other side) with
// an acknowledgement, every third one with a handle, until EOF; then it
// ends p's write side (endWrite). It reports the first error.
func pingPongPeer(p *uv.Pipe, send uv.IPCAcceptable, errc chan<- error) {
	defer endWrite(p)
	buf := make([]byte, 64)
	for i := 0; ; i++ {
		n, err := p.Read(buf)
		if errors.Is(err, io.EOF) {
			errc <- nil
			return
		}
		if err != nil {
			errc <- err
			return
		}
		reply := []byte(fmt.Sprintf("ack %s", buf[:n]))
		if i%3 == 0 {
			_, err = p.WriteHandle(reply, send)
		} else {
			_, err = p.Write(reply)
		}
		if err != nil {
			errc <- err
			return
		}
	}
}

// playPingPong sends rounds numbered messages on p, reading each answer with
// ReadHandles: the bytes, and a handle of type typ with every third answer,
// exactly where it was sent; then it ends its side and, where a pipe has a
// half close, reads the peer's EOF.
func playPingPong(t *testing.T, p *uv.Pipe, tag string, typ uv.HandleType) {
	buf := make([]byte, 64)
	for i := 0; i < dispatchRounds; i++ {
		msg := fmt.Sprintf("%s%d", tag, i)
		_, err := p.Write([]byte(msg))
		require.NoError(t, err)
		want := "ack " + msg
		var got string
		var handles int
		for len(got) < len(want) {
			n, hs, err := p.ReadHandles(buf)
			require.NoError(t, err)
			if len(hs) > 0 {
				assert.Empty(t, got, "the handle comes before its answer's bytes")
			}
			for _, h := range hs {
				assert.Equal(t, typ, h.Type)
				require.NoError(t, h.Close())
			}
			handles += len(hs)
			got += string(buf[:n])
		}
		require.Equal(t, want, got)
		if i%3 == 0 {
			require.Equal(t, 1, handles, "answer %d", i)
		} else {
			require.Zero(t, handles, "answer %d", i)
		}
	}
	require.NoError(t, endWrite(p))
	if pipesHalfClose {
		_, _, err := p.ReadHandles(buf)
		require.ErrorIs(t, err, io.EOF)
	}
}

// playAgainstPeer plays playPingPong on l against pingPongPeer on peerLoop
// (sending a handle of peerLoop's with every third answer), with tag, and
// returns l's end once the peer has seen the EOF.
func playAgainstPeer(t *testing.T, l, peerLoop *uv.Loop, tag string) *uv.Pipe {
	t.Helper()
	mine, theirs := crossLoopPair(t, l, peerLoop)
	send, typ := passable(t, peerLoop)
	errc := make(chan error, 1)
	go pingPongPeer(theirs, send, errc)
	playPingPong(t, mine, tag, typ)
	require.NoError(t, <-errc)
	return mine
}

// A blocking reader whose loop has only its fd ready gets each read without a
// pass of the loop (the leader hands the event to libuv's watcher itself),
// with the bytes, the handles in place and the EOF as a pass gives them.
func TestDispatchedReadsKeepBytesHandlesAndEOF(t *testing.T) {
	peerLoop, l := uvtest.NewLoop(t), uvtest.NewLoop(t)
	before := uv.Dispatched(l)
	playAgainstPeer(t, l, peerLoop, "m")
	assertDispatched(t, uv.Dispatched(l)-before, "answers were read without a pass")
}

// assertDispatched checks n, a count of dispatches: some where the build and
// run dispatch (the private fast path on epoll), none elsewhere.
func assertDispatched(t *testing.T, n uint64, msg string) {
	t.Helper()
	if uv.Dispatching() {
		assert.NotZero(t, n, msg)
	} else {
		assert.Zero(t, n, "dispatched though the private fast path is off")
	}
}

// Two readers on one loop, each with its own peer: whichever leads serves
// the other's fd too, by dispatch when it alone is ready and by a pass when
// both are.
func TestDispatchServesOtherReadersOfTheLoop(t *testing.T) {
	peerLoop, l := uvtest.NewLoop(t), uvtest.NewLoop(t)
	send, typ := passable(t, peerLoop)
	var wg sync.WaitGroup
	for _, tag := range []string{"a", "b"} {
		mine, theirs := crossLoopPair(t, l, peerLoop)
		errc := make(chan error, 1)
		go pingPongPeer(theirs, send, errc)
		wg.Add(1)
		go func() {
			defer wg.Done()
			playPingPong(t, mine, tag, typ)
			assert.NoError(t, <-errc)
		}()
	}
	wg.Wait()
	assertDispatched(t, uv.Dispatched(l), "reads were dispatched")
}

// Between bursts of blocking Reads, which lead the loop and hand it over,
// nobody waits: the background leader must take over each time to run a
// timer, however its lazily armed timer stood when the burst ended. Leaders
// that wait in epoll_wait leave the timer armed, those that park in the
// netpoller stop it.
func TestBackgroundLeaderTakesOverAfterReads(t *testing.T) {
	for _, netpoll := range []bool{false, true} {
		t.Run(fmt.Sprintf("netpoll=%v", netpoll), func(t *testing.T) {
			l, err := uv.Tuned(uv.LoopConfig{}, wait.Config{Netpoller: netpoll}).NewLoop()
			require.NoError(t, err)
			defer func() { require.NoError(t, l.Close()) }()
			timerAfterReadBursts(t, l)
		})
	}
}

func timerAfterReadBursts(t *testing.T, l *uv.Loop) {
	a, b := pipePair(t, l, false)
	fired := make(chan struct{}, 1)
	tm, err := uv.NewTimer(l, func() { fired <- struct{}{} })
	require.NoError(t, err)
	defer tm.Close()
	buf := make([]byte, 8)
	for burst := 0; burst < 20; burst++ {
		for i := 0; i < 50+burst*10; i++ {
			_, err := a.Write([]byte("x"))
			require.NoError(t, err)
			_, err = b.Read(buf)
			require.NoError(t, err)
		}
		require.NoError(t, tm.Start(time.Millisecond, 0))
		select {
		case <-fired:
		case <-time.After(10 * time.Second):
			t.Fatalf("burst %d: the timer never ran", burst)
		}
	}
}

// A leader that dispatches reads with no timer set leaves the loop's clock
// behind; a timer started then still counts its timeout from when it was
// started, not from the stale clock (it would fire at once).
func TestTimerStartedAfterDispatchedReadsCountsFromNow(t *testing.T) {
	l := uvtest.NewLoop(t)
	a, b := pipePair(t, l, false)
	buf := make([]byte, 8)
	before := uv.Dispatched(l)
	for start := time.Now(); time.Since(start) < 60*time.Millisecond; {
		_, err := a.Write([]byte("x"))
		require.NoError(t, err)
		_, err = b.Read(buf)
		require.NoError(t, err)
	}
	if uv.Dispatching() {
		require.NotZero(t, uv.Dispatched(l)-before, "the reads were dispatched without passes")
	}
	fired := make(chan time.Time, 1)
	tm, err := uv.NewTimer(l, func() { fired <- time.Now() })
	require.NoError(t, err)
	defer tm.Close()
	const timeout = 30 * time.Millisecond
	started := time.Now()
	require.NoError(t, tm.Start(timeout, 0))
	select {
	case at := <-fired:
		// libuv counts in whole milliseconds: allow for its rounding.
		assert.GreaterOrEqual(t, at.Sub(started), timeout-time.Millisecond, "the timer fired before its timeout")
	case <-time.After(10 * time.Second):
		t.Fatal("the timer never fired")
	}
}
