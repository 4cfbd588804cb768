//go:build cgo && !windows

package uv_test

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/uvpipe/uvpipe/internal/bench"
)

// BenchmarkGoodNeighbour measures whether uvpipe is a good neighbour to the
// rest of a process (internal/bench.Neighbour): the p50 and p99 latency of
// an unrelated net/http server in a host process with GOMAXPROCS 1 or 2,
// whose client is another process making b.N sequential GETs (at least
// 100) over loopback TCP, while the host runs uvpipe pipes that idle-wait
// ("idle", beside no uvpipe at all, with the host's CPU time per GET) or a
// pipe.SocketPair ping-pong ("pingpong", beside the same ping-pong over Go's
// net.UnixConn and beside no uvpipe). Every side is measured in the same
// run; x-... metrics are ratios to it. Each measurement stops by itself
// within bench.DefaultNeighbourCap. Take it with one iteration, free and
// pinned:
//
//	go test -run '^$' -bench GoodNeighbour -benchtime 300x ./uv/
//	taskset -c 0 go test -run '^$' -bench GoodNeighbour -benchtime 300x ./uv/
func BenchmarkGoodNeighbour(b *testing.B) {
	for _, procs := range []int{1, 2} {
		b.Run(fmt.Sprintf("procs=%d", procs), func(b *testing.B) {
			b.Run("idle", func(b *testing.B) {
				got := neighbours(b, procs, bench.NoUvpipe, bench.IdlePipes)
				none, idle := got[0], got[1]
				reportLatency(b, "", idle)
				reportLatency(b, "base-", none)
				reportRatios(b, "x-base-", idle, none)
				b.ReportMetric(micros(idle.CPUPerRequest()), "cpu-µs/GET")
				b.ReportMetric(micros(none.CPUPerRequest()), "base-cpu-µs/GET")
				b.ReportMetric(idle.CPU.Seconds()/none.CPU.Seconds(), "x-base-cpu")
			})
			b.Run("pingpong", func(b *testing.B) {
				got := neighbours(b, procs, bench.NoUvpipe, bench.UnixConnPingPong, bench.PipePingPong)
				none, uc, pp := got[0], got[1], got[2]
				reportLatency(b, "", pp)
				reportLatency(b, "unixconn-", uc)
				reportRatios(b, "x-unixconn-", pp, uc)
				reportRatios(b, "x-base-", pp, none)
			})
		})
	}
}

// neighbours takes one good-neighbour measurement per condition, in order.
func neighbours(b *testing.B, procs int, conds ...bench.Condition) []bench.NeighbourResult {
	start := bench.ExecStarter(os.Args[0], []string{"-test.run=^$"}, childEnv)
	nb := bench.Neighbour{Procs: procs, Requests: max(b.N, 100)}
	var got []bench.NeighbourResult
	b.ResetTimer()
	for _, c := range conds {
		r, err := nb.Measure(start, c)
		if err != nil {
			b.Fatalf("%s: %v", c, err)
		}
		got = append(got, r)
	}
	b.StopTimer()
	return got
}

func reportLatency(b *testing.B, prefix string, r bench.NeighbourResult) {
	b.ReportMetric(micros(r.Latency.P50), prefix+"p50-µs")
	b.ReportMetric(micros(r.Latency.P99), prefix+"p99-µs")
}

func reportRatios(b *testing.B, prefix string, r, base bench.NeighbourResult) {
	b.ReportMetric(r.Latency.P50.Seconds()/base.Latency.P50.Seconds(), prefix+"p50")
	b.ReportMetric(r.Latency.P99.Seconds()/base.Latency.P99.Seconds(), prefix+"p99")
}

func micros(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }
