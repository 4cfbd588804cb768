//go:build cgo && !windows

package uv_test

import (
	"io"
	"runtime"
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

// BenchmarkPingPongBesideIdleReaders times an in-process ping-pong on one
// loop alone, then with 3,000 goroutines blocked in Reads of idle pipes on
// the same loop, in the same run: x-alone is the second time over the first
// (1 means the idle readers cost nothing).
func BenchmarkPingPongBesideIdleReaders(b *testing.B) {
	const idle = 3000
	l := uvtest.NewLoop(b)
	x, y := pipePair(b, l, false)
	go io.Copy(y, y)
	buf := make([]byte, 64)
	trips := func() time.Duration {
		start := time.Now()
		for range b.N {
			if _, err := x.Write(buf); err != nil {
				b.Fatal(err)
			}
			if _, err := io.ReadFull(x, buf); err != nil {
				b.Fatal(err)
			}
		}
		return time.Since(start)
	}
	trips() // warm up
	alone := trips()
	var readers sync.WaitGroup
	for range idle {
		a, _ := pipePair(b, l, false)
		readers.Add(1)
		go func() {
			defer readers.Done()
			a.Read(make([]byte, 64))
		}()
	}
	for uv.Followers(l) < idle-1 {
		runtime.Gosched()
	}
	b.ResetTimer()
	beside := trips()
	b.StopTimer()
	b.ReportMetric(float64(alone.Nanoseconds())/float64(b.N), "alone-ns/op")
	b.ReportMetric(float64(beside)/float64(alone), "x-alone")
	y.Close()
	x.Close()
	l.Close() // ends the idle Reads
	readers.Wait()
}
