package channel_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uvpipe/uvpipe/channel"
	"github.com/uvpipe/uvpipe/internal/interop"
	"github.com/uvpipe/uvpipe/uv"
	"github.com/uvpipe/uvpipe/uv/uvtest"
)

// The channel benchmarks report, beside their own ns/value (or ns/op for a
// round trip), the same measurement in the same run of a Go channel between
// two goroutines locked to their own OS threads (gochan-ns, x-gochan: this
// time over the Go channel's) and of bare-channel between two Bare threads
// under the pinned bare (bare-ns, x-bare; interop/channel-bench.js, the
// faster of its async and blocking variants). For streaming, x-… is a rate
// ratio (higher is better; the target is x-bare >= 2); for
// ping-pong a time ratio (lower is better; targets x-bare <= 1 and
// x-gochan <= 1.5). UVPIPE_SKIP_INTEROP=1 leaves bare out.

// Streaming: one goroutine writes b.N values, another reads them, each end
// on a loop of its own.
func BenchmarkStreamReadWrite(b *testing.B) {
	ch := channel.New()
	a, r := connect2(b, ch)
	ctx := context.Background()
	done := make(chan struct{})
	go func() {
		for range b.N {
			r.Read(ctx)
		}
		close(done)
	}()
	for i := range b.N {
		a.Write(ctx, i)
	}
	<-done
	b.StopTimer()
	reportStream(b)
	a.Close()
	<-r.Done()
}

// Streaming into the event style: the values are delivered on the reading
// port's loop.
func BenchmarkStreamToHandler(b *testing.B) {
	ch := channel.New()
	a, r := connect2(b, ch)
	ctx := context.Background()
	n, done := 0, make(chan struct{})
	r.OnMessage(func(v any, err error) {
		if err == nil {
			if n++; n == b.N {
				close(done)
			}
		}
	})
	for i := range b.N {
		a.Write(ctx, i)
	}
	<-done
	b.StopTimer()
	reportStream(b)
	a.Close()
	<-r.Done()
}

// Ping-pong: a round trip through both directions, with an echoing
// goroutine on the other loop. Both goroutines are locked to their own OS
// threads, as the Go channel baseline's are, so each wake-up is a thread's.
func BenchmarkPingPong(b *testing.B) {
	ch := channel.New()
	a, r := connect2(b, ch)
	ctx := context.Background()
	echoed := make(chan struct{})
	go func() {
		defer close(echoed)
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		for v := range r.All(ctx) {
			r.Write(ctx, v)
		}
	}()
	ready := make(chan struct{})
	var took time.Duration
	go func() { // a goroutine of its own, so that its thread can be locked
		defer close(ready)
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		a.Write(ctx, -1) // the echo is running
		a.Read(ctx)
		start := time.Now()
		for i := range b.N {
			a.Write(ctx, i)
			a.Read(ctx)
		}
		took = time.Since(start)
	}()
	<-ready
	b.StopTimer()
	a.Close()
	<-r.Done()
	<-echoed
	ns := float64(took.Nanoseconds()) / float64(b.N)
	b.ReportMetric(ns, "ns/rt")
	var bn float64
	if bare := bareChannel(b); bare != nil {
		bn = min(bare.PingPongNs, bare.PingPongSyncNs)
	}
	reportBaselines(b, "rt", ns, goChanPingPong(b.N), bn, false)
}

// Ping-pong with goroutines left to Go's scheduler, as most programs run
// them: a wake-up then often stays on one thread.
func BenchmarkPingPongUnlocked(b *testing.B) {
	ch := channel.New()
	a, r := connect2(b, ch)
	ctx := context.Background()
	go func() {
		for v := range r.All(ctx) {
			r.Write(ctx, v)
		}
	}()
	for i := range b.N {
		a.Write(ctx, i)
		a.Read(ctx)
	}
	a.Close()
	<-r.Done()
}

// reportStream reports a streaming benchmark's rate beside the baselines'.
func reportStream(b *testing.B) {
	var bn float64
	if bare := bareChannel(b); bare != nil {
		bn = min(bare.StreamNs, bare.StreamSyncNs)
	}
	ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	reportBaselines(b, "value", ns, goChanStream(b.N), bn, true)
}

// reportBaselines reports the Go channel's time for b.N units and bare's
// bareNs per unit (0: not measured) beside ns per unit, with their ratios:
// of rates (baseline time over ns) if rate, else of times.
func reportBaselines(b *testing.B, unit string, ns float64, goChan time.Duration, bareNs float64, rate bool) {
	ratio := func(base float64) float64 {
		if rate {
			return base / ns
		}
		return ns / base
	}
	gc := float64(goChan.Nanoseconds()) / float64(b.N)
	b.ReportMetric(gc, "gochan-ns/"+unit)
	b.ReportMetric(ratio(gc), "x-gochan")
	if bareNs > 0 {
		b.ReportMetric(bareNs, "bare-ns/"+unit)
		b.ReportMetric(ratio(bareNs), "x-bare")
	}
}

// The baselines on their own: Go channels between two goroutines, each
// locked to its own OS thread (the same wake-up cost).
func BenchmarkGoChanStream(b *testing.B)   { goChanStream(b.N) }
func BenchmarkGoChanPingPong(b *testing.B) { goChanPingPong(b.N) }

// goChanStream sends n values over a Go channel of the ports' capacity, from
// one locked goroutine to another, and returns how long it took.
func goChanStream(n int) time.Duration {
	c := make(chan any, channel.Capacity)
	return onLockedThreads(func() {
		for range n {
			<-c
		}
	}, func() {
		for i := range n {
			c <- i
		}
	})
}

// goChanPingPong makes n round trips over two unbuffered Go channels between
// two locked goroutines and returns how long they took.
func goChanPingPong(n int) time.Duration {
	ping, pong := make(chan any), make(chan any)
	return onLockedThreads(func() {
		for v := range ping {
			pong <- v
		}
	}, func() {
		for i := range n {
			ping <- i
			<-pong
		}
		close(ping)
	})
}

// onLockedThreads runs peer and timed on two goroutines locked to their own
// OS threads, and returns how long timed took.
func onLockedThreads(peer, timed func()) time.Duration {
	var wg sync.WaitGroup
	var took time.Duration
	wg.Go(func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		peer()
	})
	wg.Go(func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		start := time.Now()
		timed()
		took = time.Since(start)
	})
	wg.Wait()
	return took
}

// bareResult is what interop/channel-bench.js prints.
type bareResult struct {
	Bare           string  `json:"bare"`
	PingPongNs     float64 `json:"pingpongNs"`
	PingPongSyncNs float64 `json:"pingpongSyncNs"`
	StreamNs       float64 `json:"streamNs"`
	StreamSyncNs   float64 `json:"streamSyncNs"`
}

var bareOnce struct {
	sync.Once
	res *bareResult
	err error
}

// bareChannel runs interop/channel-bench.js under the pinned bare once per
// process (20,000 round trips, 200,000 values streamed), or returns nil with
// UVPIPE_SKIP_INTEROP=1.
func bareChannel(b *testing.B) *bareResult {
	b.Helper()
	if os.Getenv(interop.SkipEnv) == "1" {
		return nil
	}
	bare, dir := interop.Bare(b), interop.Dir(b)
	interop.Module(b, "bare-channel")
	bareOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, bare, "channel-bench.js", "20000", "200000")
		cmd.Dir = dir
		cmd.Stderr = os.Stderr
		out, err := cmd.Output()
		if err != nil {
			bareOnce.err = fmt.Errorf("bare channel-bench.js: %w", err)
			return
		}
		var r bareResult
		if err := json.Unmarshal(out, &r); err != nil {
			bareOnce.err = fmt.Errorf("bare channel-bench.js printed %q: %w", out, err)
			return
		}
		bareOnce.res = &r
	})
	if bareOnce.err != nil {
		b.Fatal(bareOnce.err)
	}
	return bareOnce.res
}

func connect2(b *testing.B, ch *channel.Channel) (*channel.Port, *channel.Port) {
	b.Helper()
	a, err := ch.Connect(uvtest.NewLoop(b))
	if err != nil {
		b.Fatal(err)
	}
	r, err := ch.Connect(uvtest.NewLoop(b))
	if err != nil {
		b.Fatal(err)
	}
	return a, r
}

// echoRate1 is the request rate of BenchmarkEchoServer/workers=1 in this
// run, which workers=2 reports its own against.
var echoRate1 float64

// The multi-loop TCP echo server (example_echo_test.go) with 1 and with 2
// worker loops: echoClients connections from Go's net package (off the
// server's loops) each do ping-pongs of echoMsg bytes; b.N round trips in
// all. workers=2 reports its rate as a ratio to workers=1's (x-1worker).
func BenchmarkEchoServer(b *testing.B) {
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			rate := benchEchoServer(b, workers)
			b.ReportMetric(rate, "req/s")
			if workers == 1 {
				echoRate1 = rate
			} else if echoRate1 > 0 {
				b.ReportMetric(rate/echoRate1, "x-1worker")
			}
		})
	}
}

const (
	echoClients = 16
	echoMsg     = 256
)

func benchEchoServer(b *testing.B, workers int) float64 {
	var ws []*uv.Loop
	for range workers {
		ws = append(ws, uvtest.NewLoop(b))
	}
	srv, err := startEchoServer(uvtest.NewLoop(b), ws...)
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	var conns []net.Conn
	for range echoClients {
		c, err := net.Dial("tcp", srv.Addr())
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		conns = append(conns, c)
	}
	var left atomic.Int64
	left.Store(int64(b.N))
	errs := make(chan error, echoClients)
	b.ResetTimer()
	start := time.Now()
	for _, c := range conns {
		go func() {
			msg, buf := make([]byte, echoMsg), make([]byte, echoMsg)
			for left.Add(-1) >= 0 {
				if _, err := c.Write(msg); err != nil {
					errs <- err
					return
				}
				if _, err := io.ReadFull(c, buf); err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range conns {
		if err := <-errs; err != nil {
			b.Fatal(err)
		}
	}
	took := time.Since(start)
	b.StopTimer()
	return float64(b.N) / took.Seconds()
}
