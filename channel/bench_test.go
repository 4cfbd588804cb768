package channel_test

import (
	"context"
	"crypto/sha256"
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
// run, which workers=2 reports its own against; workRate1 the same for
// BenchmarkWorkServer.
var echoRate1, workRate1 float64

// The multi-loop TCP echo server (example_echo_test.go) with 1 and with 2
// worker loops: echoClients connections from Go's net package (off the
// server's loops) each do ping-pongs of echoMsg bytes; b.N round trips in
// all. workers=2 reports its rate as a ratio to workers=1's (x-1worker).
// Serving an echo costs about what sending it costs the client, so on two
// cores shared with the clients a second worker has no core to run on.
func BenchmarkEchoServer(b *testing.B) {
	load := serverLoad{clients: echoClients, req: echoMsg, reply: echoMsg, depth: 1}
	benchWorkers(b, echoOptions{}, load, &echoRate1, nil)
}

// The same server doing real work for each request, as a server whose
// requests cost CPU does (a key derivation, a transform): each workReq-byte
// request is answered with SHA-256 iterated workRounds times over it (about
// 20 µs on this machine; work-ns/req measures it in the run). The clients
// keep workDepth requests each in flight, written and read workDepth at a
// time, so the load costs them little beside the serving, and the 1 -> 2
// worker ratio (x-1worker) shows what a second loop on the second core
// buys; ideal-x is what the machine gives two threads of the bare work at
// once in the same run, the most x-1worker could be.
func BenchmarkWorkServer(b *testing.B) {
	load := serverLoad{clients: workClients, req: workReq, reply: sha256.Size, depth: workDepth}
	benchWorkers(b, echoOptions{reply: workReplier(workRounds)}, load, &workRate1, func(b *testing.B) {
		one, two := workCost(1), workCost(2)
		b.ReportMetric(one, "work-ns/req")
		b.ReportMetric(one/two, "ideal-x")
	})
}

const (
	echoClients = 16
	echoMsg     = 256
	workClients = 8
	workDepth   = 32
	workReq     = 32
	workRounds  = 256 // about 20 µs of SHA-256 on this machine
)

// serverLoad is what the benchmark clients do: clients connections, each
// writing depth requests of req bytes at once, then reading their replies
// of reply bytes each.
type serverLoad struct{ clients, req, reply, depth int }

// benchWorkers runs the server with 1 and with 2 worker loops; rate1 keeps
// the 1-worker rate for the 2-worker ratio, and more, if set, reports more
// beside the 2-worker rate.
func benchWorkers(b *testing.B, opt echoOptions, load serverLoad, rate1 *float64, more func(*testing.B)) {
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			rate := benchServer(b, workers, opt, load)
			b.ReportMetric(rate, "req/s")
			if workers == 1 {
				*rate1 = rate
			} else if *rate1 > 0 {
				b.ReportMetric(rate / *rate1, "x-1worker")
				if more != nil {
					more(b)
				}
			}
		})
	}
}

// workReplier makes the replier of each connection of the work server: for
// each workReq bytes read, SHA-256 iterated rounds times.
func workReplier(rounds int) func() func([]byte) []byte {
	return func() func([]byte) []byte {
		var req [workReq]byte
		var out []byte
		n := 0
		return func(in []byte) []byte {
			out = out[:0]
			for len(in) > 0 {
				k := copy(req[n:], in)
				n, in = n+k, in[k:]
				if n == workReq {
					out = append(out, work(req[:], rounds)...)
					n = 0
				}
			}
			return out
		}
	}
}

// work is the work server's answer to one request.
func work(req []byte, rounds int) []byte {
	sum := sha256.Sum256(req)
	for range rounds - 1 {
		sum = sha256.Sum256(sum[:])
	}
	return sum[:]
}

// workCost measures the work of a request when goroutines run requests
// side by side, in ns of wall time per request: workCost(1) is one
// request's cost, workCost(1)/workCost(2) what the machine gives two
// threads of this work at once (the most a second worker loop can add).
func workCost(goroutines int) float64 {
	const n = 2000
	req := make([]byte, workReq)
	var wg sync.WaitGroup
	start := time.Now()
	for range goroutines {
		wg.Go(func() {
			for range n {
				work(req, workRounds)
			}
		})
	}
	wg.Wait()
	return float64(time.Since(start).Nanoseconds()) / float64(n*goroutines)
}

// benchServer runs b.N requests of load against a server with workers
// worker loops and returns the rate, in requests per second.
func benchServer(b *testing.B, workers int, opt echoOptions, load serverLoad) float64 {
	var ws []*uv.Loop
	for range workers {
		ws = append(ws, uvtest.NewLoop(b))
	}
	srv, err := startServer(opt, uvtest.NewLoop(b), ws...)
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	var conns []net.Conn
	for range load.clients {
		c, err := net.Dial("tcp", srv.Addr())
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		conns = append(conns, c)
	}
	var left, done atomic.Int64
	left.Store(int64(b.N))
	errs := make(chan error, load.clients)
	b.ResetTimer()
	start := time.Now()
	for _, c := range conns {
		go func() {
			msg, buf := make([]byte, load.req*load.depth), make([]byte, load.reply*load.depth)
			for left.Add(-int64(load.depth)) > -int64(load.depth) {
				done.Add(int64(load.depth))
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
	return float64(done.Load()) / took.Seconds()
}
