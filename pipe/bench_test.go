//go:build !windows

package pipe_test

import (
	"os"
	"testing"

	"github.com/uvpipe/uvpipe/internal/bench"
)

// The benchmarks run between two processes over a socket pair (the test
// binary re-executed as the peer, see children), through internal/bench,
// which `uvpipe bench` runs too. Each reports uvpipe's time or rate beside a
// baseline of raw syscalls measured in the same run, and their ratio
// (x-raw: time over raw time for round trips; rate over raw rate for
// throughput and handle passing). This VM wakes an idle CPU slowly, so take
// each twice: free, and pinned to one CPU with
//
//	taskset -c 0 go test -run '^$' -bench . ./pipe/

func init() {
	for name, peer := range bench.Peers {
		children["bench-"+name] = peer
	}
}

// peers starts bench's peers as children of this test binary.
func peers() bench.Starter {
	start := bench.ExecStarter(os.Args[0], []string{"-test.run=^$"}, "UVPIPE_PIPE_CHILD")
	return func(name string) (int, func() error, error) { return start("bench-" + name) }
}

func pingPong(b *testing.B, kind string) {
	r, err := bench.PingPong(peers(), kind, b.N)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(r.PerOp().Nanoseconds()), "ns/rt")
	b.ReportMetric(float64(r.RawPerOp().Nanoseconds()), "raw-ns/rt")
	b.ReportMetric(r.TimeRatio(), "x-raw")
}

// BenchmarkPingPong: 64-byte round trips with blocking Read/Write, both ends
// pipe.Pipe, beside both ends raw syscalls; and the same for Go's
// *net.UnixConn, for scale.
func BenchmarkPingPong(b *testing.B) {
	b.Run("pipe", func(b *testing.B) { pingPong(b, "pipe") })
	b.Run("unixconn", func(b *testing.B) { pingPong(b, "unixconn") })
}

// BenchmarkPingPongEvents: the same round trips with the event API: each end
// replies from inside its read callback.
func BenchmarkPingPongEvents(b *testing.B) { pingPong(b, "events") }

// BenchmarkThroughput: one-way 64 KiB writes, pipe.Pipe at both ends beside
// raw syscalls at both ends; x-raw is pipe's rate over raw's.
func BenchmarkThroughput(b *testing.B) {
	b.SetBytes(bench.ChunkSize)
	r, err := bench.Throughput(peers(), b.N)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(bench.ChunkSize)*float64(b.N)/r.Raw.Seconds()/(1<<20), "raw-MiB/s")
	b.ReportMetric(r.RateRatio(), "x-raw")
}

// BenchmarkHandlePassing: a TCP listener sent with one byte, b.N times; the
// peer takes each and closes it. pipe.Pipe (WriteHandle, ReadHandles) beside
// raw sendmsg/recvmsg; x-raw is pipe's rate over raw's.
func BenchmarkHandlePassing(b *testing.B) {
	r, err := bench.HandlePassing(peers(), b.N)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/r.Raw.Seconds(), "raw-handles/s")
	b.ReportMetric(r.RateRatio(), "x-raw")
}
