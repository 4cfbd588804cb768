package ipc_test

import (
	"context"
	"encoding/json"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/uvpipe/uvpipe/ipc"
)

// loadResult is a closed-loop load: requests per second and latency
// percentiles in microseconds.
type loadResult struct {
	RPS float64 `json:"rps"`
	P50 float64 `json:"p50"`
	P99 float64 `json:"p99"`
}

// nodeBenchRequests is how many requests each node-side measure makes
// (UVPIPE_NETIPC_BENCH_REQUESTS overrides it).
func nodeBenchRequests() int {
	if n, err := strconv.Atoi(os.Getenv("UVPIPE_NETIPC_BENCH_REQUESTS")); err == nil && n > 0 {
		return n
	}
	return 20000
}

// nodeLoad runs netipc-peer.js bench-client against path three times and
// keeps the run with the most requests per second: node's numbers vary
// from run to run, and the best one is the baseline least in our favour.
func nodeLoad(b *testing.B, path string, conns int) loadResult {
	var best loadResult
	for range 3 {
		if r := nodeLoadOnce(b, path, conns); r.RPS > best.RPS {
			best = r
		}
	}
	return best
}

func nodeLoadOnce(b *testing.B, path string, conns int) loadResult {
	peer := nodeNetIPC(b, "bench-client", path, strconv.Itoa(conns), strconv.Itoa(nodeBenchRequests()))
	defer peer.stop()
	var r loadResult
	select {
	case line := <-peer.lines:
		if err := json.Unmarshal([]byte(line), &r); err != nil || r.RPS == 0 {
			b.Fatalf("node bench-client said %q", line)
		}
	case <-time.After(5 * time.Minute):
		b.Fatal("node bench-client said nothing")
	}
	return r
}

// nodeBaselines caches, per connection count, the two node-side measures
// of one benchmark run: net-ipc server with net-ipc clients, and the Go
// server with net-ipc clients.
var nodeBaselines = struct {
	sync.Mutex
	m map[int][2]loadResult
}{m: map[int][2]loadResult{}}

func nodeBaseline(b *testing.B, conns int) [2]loadResult {
	nodeBaselines.Lock()
	defer nodeBaselines.Unlock()
	if r, ok := nodeBaselines.m[conns]; ok {
		return r
	}
	b.StopTimer()
	defer b.StartTimer()
	dir := b.TempDir()
	server := nodeNetIPC(b, "bench-server", dir+"/node")
	select {
	case <-server.lines:
	case <-time.After(time.Minute):
		b.Fatal("node bench-server did not start")
	}
	var r [2]loadResult
	r[0] = nodeLoad(b, dir+"/node", conns)
	server.stop()
	s := echoServerWith(b, ipc.ServerOptions{Path: dir + "/go", HandleOnLoop: true})
	r[1] = nodeLoad(b, dir+"/go", conns)
	s.Close(false)
	nodeBaselines.m[conns] = r
	return r
}

// goLoad makes n requests over conns Go clients of a Go echo server, each
// client one request after the other, all clients at once.
func goLoad(b *testing.B, conns, n int, onLoop bool) loadResult {
	path := b.TempDir() + "/s"
	s := echoServerWith(b, ipc.ServerOptions{Path: path, HandleOnLoop: onLoop})
	defer s.Close(false)
	ctx := context.Background()
	clients := make([]*ipc.Client, conns)
	for i := range clients {
		c, err := ipc.Connect(ctx, ipc.ClientOptions{Path: path})
		if err != nil {
			b.Fatal(err)
		}
		defer c.Destroy()
		clients[i] = c
	}
	lat := make([][]time.Duration, conns)
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for i, c := range clients {
		per := n / conns
		if i < n%conns {
			per++
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			l := make([]time.Duration, 0, per)
			for j := range per {
				t := time.Now()
				if _, err := c.Request(ctx, j); err != nil {
					b.Error(err)
					return
				}
				l = append(l, time.Since(t))
			}
			lat[i] = l
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	all := slices.Concat(lat...)
	slices.Sort(all)
	at := func(q float64) float64 {
		return float64(all[min(len(all)-1, int(q*float64(len(all))))]) / 1e3
	}
	return loadResult{RPS: float64(len(all)) / elapsed.Seconds(), P50: at(0.5), P99: at(0.99)}
}

// Requests per second and p50/p99 latency over 1 and 64 connections:
// the Go server with Go clients (rps, p50-µs, p99-µs), its handlers on the
// loop (HandleOnLoop) or on each connection's goroutine, beside, measured in
// the same run, net-ipc's server with net-ipc clients under node
// (netipc-*) and the Go server (handlers on the loop) with net-ipc clients
// (gosrv-nodecli-*).
// x-netipc-rps is Go/Go over net-ipc/net-ipc requests per second (target
// ≥ 3), x-netipc-p99 net-ipc's p99 over ours (≥ 1: ours is equal or
// better), x-gosrv-nodecli-rps the Go server's over net-ipc's, both with
// net-ipc clients.
func BenchmarkNetIPCServer(b *testing.B) {
	for _, conns := range []int{1, 64} {
		for _, onLoop := range []bool{true, false} {
			name := "conns=" + strconv.Itoa(conns) + "/handlers=goroutine"
			if onLoop {
				name = "conns=" + strconv.Itoa(conns) + "/handlers=loop"
			}
			b.Run(name, func(b *testing.B) {
				base := nodeBaseline(b, conns)
				r := goLoad(b, conns, max(b.N, conns), onLoop)
				b.ReportMetric(r.RPS, "rps")
				b.ReportMetric(r.P50, "p50-µs")
				b.ReportMetric(r.P99, "p99-µs")
				b.ReportMetric(base[0].RPS, "netipc-rps")
				b.ReportMetric(base[0].P50, "netipc-p50-µs")
				b.ReportMetric(base[0].P99, "netipc-p99-µs")
				b.ReportMetric(base[1].RPS, "gosrv-nodecli-rps")
				b.ReportMetric(base[1].P99, "gosrv-nodecli-p99-µs")
				b.ReportMetric(r.RPS/base[0].RPS, "x-netipc-rps")
				b.ReportMetric(base[0].P99/r.P99, "x-netipc-p99")
				b.ReportMetric(base[1].RPS/base[0].RPS, "x-gosrv-nodecli-rps")
			})
		}
	}
}
