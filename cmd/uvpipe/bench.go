//go:build !windows

package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"github.com/uvpipe/uvpipe/internal/bench"
)

func init() {
	commands["bench"] = command{summary: "measure uvpipe beside raw syscalls, Go's net and the JS peers (node, bun, bare), in one table", run: runBench}
	commands["bench-peer"] = command{summary: "the peer process of 'uvpipe bench'", hidden: true, run: runBenchPeer}
}

// benchPeerEnv tells a `uvpipe bench-peer` which of bench.Peers to run.
const benchPeerEnv = "UVPIPE_BENCH_PEER"

// benchRow is one line of the table: a measurement beside its baseline, or
// one that cannot be taken yet.
type benchRow struct {
	Name      string  `json:"name"`
	Unit      string  `json:"unit,omitempty"`
	Value     float64 `json:"value,omitempty"`
	Baseline  float64 `json:"baseline,omitempty"`
	Ratio     float64 `json:"ratio,omitempty"`
	RatioKind string  `json:"ratio_kind,omitempty"` // "time" (lower is better) or "rate" (higher is better)
	Status    string  `json:"status"`               // "measured", or "missing: why" or "failed: why"
	Against   string  `json:"against"`              // what the baseline is
	Samples   int     `json:"samples,omitempty"`    // a good-neighbour row's timed GETs (the fewer of its two sides)
}

// rawBaseline is what the baseline of the rows against uvpipe's own peer is.
const rawBaseline = "raw blocking syscalls"

// runBench takes the measurements of internal/bench against uvpipe itself
// run as the peer process, then those against the JavaScript peers, and
// prints one table.
func runBench(args []string) error {
	f := newFlags("bench", "", 0, 0, describe(`Measure uvpipe between this process and a peer
process (uvpipe itself) over a unix socket pair, each row beside a baseline of
raw blocking syscalls measured in the same run: 64-byte round trips with
pipe.Pipe's blocking API and its event API (and Go's net.UnixConn for scale),
one-way throughput of 64 KiB writes, and handles passed per second against raw
sendmsg/recvmsg. This machine wakes an idle CPU slowly: run it also pinned to
one CPU, with 'taskset -c 0 uvpipe bench'. Then round trips against the
JavaScript peers, each beside the same done between two of them in the same
run: Node fork IPC in json and advanced (Go parent and node child, against node
parent and node child), Bun IPC in json (against bun and bun), pipe.Pipe
against a bare-pipe echo (against a Bare pipe pair), net-ipc request/response
(Go server and client, against net-ipc's under node), and channel/ between two
loops (against bare-channel between two Bare threads), each taken --reps times
keeping each side's best. Last, the good-neighbour rows: the p50 and p99
latency of an unrelated net/http server in a process (a fresh uvpipe, with
GOMAXPROCS 1, then 2) whose client is another process making --requests
sequential GETs over loopback TCP, while that process runs four pipe.Pipe Reads
that wait with nothing coming (against no uvpipe at all, with the process's CPU
time per GET to show any spinning), a pipe.SocketPair ping-pong (against the
same ping-pong over Go's net.UnixConn, which is also shown against no uvpipe),
each bounded to a few seconds. Their scripts are found
in the uvpipe source tree (--root, else $`+rootEnv+`, else upward from the
working directory and from the executable), node on the PATH, bun and bare in
the tree's interop/node_modules; a peer that is not there makes its row say
"missing" and why. Progress goes to stderr.`))
	n := f.Int("n", 20000, "round trips, 64 KiB writes and handles per row")
	asJSON := f.Bool("json", false, "print the rows as JSON instead of a table")
	reps := f.Int("reps", 3, "runs of each row against a JS peer, keeping each side's best")
	requests := f.Int("requests", 1000, "timed HTTP GETs per good-neighbour measurement (0 leaves those rows out)")
	root := f.String("root", "", "the uvpipe source tree holding interop/ (default: $"+rootEnv+", else found upward)")
	if _, err := f.parse(args); err != nil {
		return err
	}
	if *n <= 0 {
		return usageErrorf("bench: -n must be positive (see 'uvpipe bench -h')")
	}
	if *requests < 0 {
		return usageErrorf("bench: --requests must not be negative (see 'uvpipe bench -h')")
	}
	if *reps <= 0 {
		return usageErrorf("bench: --reps must be positive (see 'uvpipe bench -h')")
	}
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	start := bench.ExecStarter(self, []string{"bench-peer"}, benchPeerEnv)
	steps := []struct {
		name string
		take func() ([]benchRow, error)
	}{
		{"ping-pong 64 B, pipe.Pipe blocking", pingPongRows(start, "pipe", *n)},
		{"ping-pong 64 B, pipe.Pipe event API", pingPongRows(start, "events", *n)},
		{"ping-pong 64 B, Go's net.UnixConn", pingPongRows(start, "unixconn", *n)},
		{"throughput, 64 KiB writes", oneRow(throughputRow(start, *n))},
		{"handles passed (a TCP listener)", oneRow(handlesRow(start, *n))},
	}
	var nbSteps []neighbourStep
	if *requests > 0 {
		nbSteps = neighbourSteps(start, *requests)
	}
	var rows []benchRow
	total := len(steps) + len(jsSteps) + len(nbSteps)
	for i, s := range steps {
		fmt.Fprintf(os.Stderr, "uvpipe bench: [%d/%d] %s\n", i+1, total, s.name)
		got, err := s.take()
		if err != nil {
			return fmt.Errorf("bench: %s: %w", s.name, err)
		}
		for j, row := range got {
			if j == 0 {
				row.Name = s.name
			} else {
				row.Name = s.name + ", " + row.Name
			}
			row.Against = rawBaseline
			rows = append(rows, row)
		}
	}
	peers := findRoot(*root)
	for i, s := range jsSteps {
		fmt.Fprintf(os.Stderr, "uvpipe bench: [%d/%d] %s\n", len(steps)+i+1, total, s.name)
		rows = append(rows, jsRow(peers, s, *n, *reps))
	}
	for i, s := range nbSteps {
		fmt.Fprintf(os.Stderr, "uvpipe bench: [%d/%d] %s\n", len(steps)+len(jsSteps)+i+1, total, s.name)
		got, err := s.take()
		if err != nil {
			return fmt.Errorf("bench: %s: %w", s.name, err)
		}
		rows = append(rows, got...)
	}
	if *asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	}
	printBenchTable(os.Stdout, rows, *n, *requests)
	return nil
}

// pingPongRows are a ping-pong's wall time per round trip and the CPU time
// both processes used per round trip, each beside raw syscalls'.
func pingPongRows(start bench.Starter, kind string, n int) func() ([]benchRow, error) {
	return func() ([]benchRow, error) {
		r, err := bench.PingPong(start, kind, n)
		return []benchRow{
			{Unit: "µs/round trip", Value: micros(r.PerOp()), Baseline: micros(r.RawPerOp()),
				Ratio: r.TimeRatio(), RatioKind: "time", Status: "measured"},
			{Name: "CPU (both processes)", Unit: "CPU µs/round trip", Value: micros(r.CPUPerOp()),
				Baseline: micros(r.RawCPUPerOp()), Ratio: r.CPURatio(), RatioKind: "time", Status: "measured"},
		}, err
	}
}

// oneRow makes a step of one row.
func oneRow(take func() (benchRow, error)) func() ([]benchRow, error) {
	return func() ([]benchRow, error) {
		r, err := take()
		return []benchRow{r}, err
	}
}

func throughputRow(start bench.Starter, n int) func() (benchRow, error) {
	return func() (benchRow, error) {
		r, err := bench.Throughput(start, n)
		mb := float64(bench.ChunkSize) * float64(n) / (1 << 20)
		return benchRow{Unit: "MiB/s", Value: mb / r.Took.Seconds(), Baseline: mb / r.Raw.Seconds(),
			Ratio: r.RateRatio(), RatioKind: "rate", Status: "measured"}, err
	}
}

func handlesRow(start bench.Starter, n int) func() (benchRow, error) {
	return func() (benchRow, error) {
		r, err := bench.HandlePassing(start, n)
		return benchRow{Unit: "handles/s", Value: float64(n) / r.Took.Seconds(), Baseline: float64(n) / r.Raw.Seconds(),
			Ratio: r.RateRatio(), RatioKind: "rate", Status: "measured"}, err
	}
}

// num formats a measurement: whole numbers from 1000 up, three significant
// digits below.
func num(v float64) string {
	if v >= 1000 {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.3g", v)
}

func micros(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }

// printBenchTable writes the rows as an aligned table.
func printBenchTable(w io.Writer, rows []benchRow, n, requests int) {
	fmt.Fprintf(w, "uvpipe bench: %d operations per row, each beside its baseline measured in the same run\n", n)
	if requests > 0 {
		fmt.Fprintf(w, "good neighbour: %d HTTP GETs per measurement (fewer when one takes %s)\n", requests, bench.DefaultNeighbourCap)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "what\tuvpipe\tbaseline\tunit\tratio\tbaseline is")
	for _, r := range rows {
		if r.Status != "measured" {
			fmt.Fprintf(tw, "%s\t-\t-\t-\t%s\t%s\n", r.Name, r.Status, r.Against)
			continue
		}
		better := "lower is better"
		if r.RatioKind == "rate" {
			better = "higher is better"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%.2f× (%s, %s)\t%s\n", r.Name, num(r.Value), num(r.Baseline), r.Unit, r.Ratio, r.RatioKind, better, r.Against)
	}
	tw.Flush()
}

// runBenchPeer is the peer process: it runs the bench.Peers entry named by
// the environment, on fd 3.
func runBenchPeer(args []string) error {
	f := newFlags("bench-peer", "", 0, 0, describe(`The peer process that 'uvpipe bench' starts, with
its end of a unix socket pair as fd 3 and `+benchPeerEnv+` naming what to run.`))
	if _, err := f.parse(args); err != nil {
		return err
	}
	name := os.Getenv(benchPeerEnv)
	peer, ok := bench.Peers[name]
	if !ok {
		return usageErrorf("bench-peer: %s=%q names no peer", benchPeerEnv, name)
	}
	if code := peer(); code != 0 {
		return fmt.Errorf("bench-peer: %s exited with %d", name, code)
	}
	return nil
}
