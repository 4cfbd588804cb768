package uv_test

import (
	"io"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/uv"
	"github.com/uvpipe/uvpipe/uv/uvtest"
)

// A pass wakes only the goroutines whose condition it may have changed:
// with many goroutines blocked in Reads of idle pipes on the same loop, a
// ping-pong on another pipe wakes about as many followers as it would with
// none, however many idle Reads wait.
func TestIdleReadersAreNotWokenByOthersTraffic(t *testing.T) {
	const idle, trips = 500, 200
	l := uvtest.NewLoop(t)
	var readers sync.WaitGroup
	var ends []*uv.Pipe
	for range idle {
		a, b := pipePair(t, l, false)
		ends = append(ends, b)
		readers.Add(1)
		go func() {
			defer readers.Done()
			a.Read(make([]byte, 64)) // until the peer closes
		}()
	}
	// Wait until every idle reader follows: each blocks on the loop.
	require.Eventually(t, func() bool { return uv.Followers(l) >= idle-1 }, time.Minute, time.Millisecond, "idle readers following")

	x, y := pipePair(t, l, false)
	go func() { io.Copy(y, y) }()
	before := uv.Signals(l)
	buf := make([]byte, 64)
	for range trips {
		_, err := x.Write(buf)
		require.NoError(t, err)
		_, err = io.ReadFull(x, buf)
		require.NoError(t, err)
	}
	woken := uv.Signals(l) - before
	t.Logf("%d followers woken for %d round trips with %d idle readers", woken, trips, idle)
	assert.Less(t, woken, uint64(8*trips), "idle readers were woken by another pipe's traffic")

	for _, b := range ends {
		b.Close()
	}
	readers.Wait()
}
