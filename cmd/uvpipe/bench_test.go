//go:build !windows

package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/internal/bench"
	"github.com/uvpipe/uvpipe/internal/interop"
)

// uvpipe bench takes every measurement, with uvpipe itself as the peer and
// against the JavaScript peers, and prints one table with a ratio per row
// and what its baseline is.
func TestBenchTable(t *testing.T) {
	requireBenchPeers(t)
	code, stdout, stderr := runCLI(t, "", "bench", "-n", "300", "--reps", "1", "--requests", "20")
	require.Equal(t, 0, code, "stderr: %s", stderr)
	for _, row := range []string{
		"ping-pong 64 B, pipe.Pipe blocking", "ping-pong 64 B, pipe.Pipe event API", "ping-pong 64 B, Go's net.UnixConn",
		"ping-pong 64 B, pipe.Pipe blocking, CPU (both processes)", "ping-pong 64 B, pipe.Pipe event API, CPU (both processes)",
		"ping-pong 64 B, Go's net.UnixConn, CPU (both processes)",
		"throughput, 64 KiB writes", "handles passed (a TCP listener)",
	} {
		line := lineWith(stdout, row)
		require.NotEmpty(t, line, "a row for %q in:\n%s", row, stdout)
		assert.Contains(t, line, "×", "the row has its ratio")
		assert.Contains(t, line, rawBaseline)
	}
	for _, s := range jsSteps {
		line := lineWith(stdout, s.name)
		require.NotEmpty(t, line, "a row for %q in:\n%s", s.name, stdout)
		assert.Regexp(t, `\d\.\d\d× \(time, lower is better\)`, line, "the row has its ratio")
		assert.Contains(t, line, s.against)
	}
	for _, procs := range []string{"1", "2"} {
		for _, row := range []string{"HTTP p50, 4 pipes idle", "HTTP p99, 4 pipes idle", "CPU per GET, 4 pipes idle",
			"HTTP p50, UnixConn ping-pong", "HTTP p99, UnixConn ping-pong"} {
			line := lineWith(stdout, "neighbour, GOMAXPROCS "+procs+": "+row)
			require.NotEmpty(t, line, "a row for %q in:\n%s", row, stdout)
			assert.Regexp(t, `\d\.\d\d× \(time, lower is better\)`, line, "the row has its ratio")
			assert.Contains(t, line, againstNoUvpipe)
		}
		for _, row := range []string{"HTTP p50, SocketPair ping-pong", "HTTP p99, SocketPair ping-pong", "SocketPair ping-pong rate"} {
			line := lineWith(stdout, "neighbour, GOMAXPROCS "+procs+": "+row)
			require.NotEmpty(t, line, "a row for %q in:\n%s", row, stdout)
			assert.Contains(t, line, againstUnixConn)
		}
	}
	assert.Contains(t, stdout, "good neighbour: 20 HTTP GETs per measurement")
	assert.Contains(t, stderr, "[14/14]", "progress lines on stderr")
}

// Peers that are not there are listed as missing, with why, not dropped:
// a source tree without node_modules, and no node on the PATH.
func TestBenchMissingPeers(t *testing.T) {
	root := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(root, "interop"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(root, "interop", "package.json"), []byte("{}"), 0o644))
	cmd := exec.Command(os.Args[0], "bench", "--json", "-n", "100", "--root", root, "--requests", "0")
	cmd.Env = append(cliEnviron(), "PATH="+t.TempDir())
	p := startCmd(t, cmd)
	p.stdin.Close()
	require.Equal(t, 0, p.exit(t), "stderr: %s", p.stderr.String())
	var rows []benchRow
	require.NoError(t, json.Unmarshal([]byte(p.stdout.String()), &rows))
	require.Len(t, rows, ownRows+len(jsSteps), "--requests 0 leaves the good-neighbour rows out")
	want := []string{
		"missing: node is not on the PATH", "missing: node is not on the PATH", "missing: bun is not installed",
		"missing: bun is not installed", "missing: bare is not installed", "missing: node is not on the PATH", "missing: bare is not installed",
	}
	for i, s := range jsSteps {
		r := rows[ownRows+i]
		assert.Equal(t, s.name, r.Name)
		assert.True(t, strings.HasPrefix(r.Status, want[i]), "%s: %s", r.Name, r.Status)
		assert.Zero(t, r.Value)
	}

	code, stdout, stderr := runCLI(t, "", "bench", "-n", "100", "--root", t.TempDir(), "--requests", "0")
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, len(jsSteps), strings.Count(stdout, "missing: "+"/"), "every JS row says the tree is wrong:\n%s", stdout)
}

// requireBenchPeers fails (or skips, with UVPIPE_SKIP_INTEROP=1) the test
// unless every JavaScript peer of the bench is there.
func requireBenchPeers(t *testing.T) {
	interop.Node(t)
	interop.Bun(t)
	interop.Bare(t)
	interop.Module(t, "net-ipc")
	interop.Module(t, "bare-channel")
}

func TestBenchJSON(t *testing.T) {
	requireBenchPeers(t)
	code, stdout, stderr := runCLI(t, "", "bench", "--json", "-n", "200", "--reps", "2", "--requests", "10")
	require.Equal(t, 0, code, "stderr: %s", stderr)
	var rows []benchRow
	require.NoError(t, json.Unmarshal([]byte(stdout), &rows))
	measured := 0
	for _, r := range rows {
		if r.Status == "measured" {
			measured++
			if r.Unit == "round trips/s" {
				// A ping-pong may make no round trip while 10 GETs are served.
				assert.GreaterOrEqual(t, r.Value, 0.0, r.Name)
				assert.GreaterOrEqual(t, r.Baseline, 0.0, r.Name)
				continue
			}
			assert.Greater(t, r.Value, 0.0, r.Name)
			assert.Greater(t, r.Baseline, 0.0, r.Name)
			assert.Greater(t, r.Ratio, 0.0, r.Name)
		}
		if strings.HasPrefix(r.Name, "neighbour, ") {
			// At most the GETs asked for: fewer when a busy machine makes
			// them outlast the measurement's cap.
			assert.GreaterOrEqual(t, r.Samples, 1, "%s: its GETs", r.Name)
			assert.LessOrEqual(t, r.Samples, 10, "%s: its GETs", r.Name)
		}
	}
	assert.Equal(t, ownRows+len(jsSteps)+neighbourRowsPer*2, measured)
	assert.Len(t, rows, ownRows+len(jsSteps)+neighbourRowsPer*2)
}

func TestBenchBadArguments(t *testing.T) {
	for _, args := range [][]string{{"-n", "0"}, {"--reps", "0"}, {"--requests", "-1"}} {
		code, stdout, stderr := runCLI(t, "", append([]string{"bench"}, args...)...)
		assert.Equal(t, 2, code, "%v", args)
		assert.Empty(t, stdout)
		requireOneLine(t, stderr)
	}
	code, _, stderr := runCLI(t, "", "bench-peer")
	assert.Equal(t, 2, code, "a peer without its name: %s", stderr)
}

// ownRows is how many rows the measurements against uvpipe's own peer give:
// three ping-pongs with their CPU rows, throughput and handle passing.
const ownRows = 3*2 + 2

// neighbourRowsPer is how many rows one GOMAXPROCS's good-neighbour
// measurements give.
const neighbourRowsPer = 8

// The good-neighbour rows compare each condition with the right baseline:
// idle pipes with no uvpipe, the SocketPair ping-pong with the UnixConn one,
// the UnixConn one with no uvpipe; ratios are value over baseline.
func TestNeighbourRows(t *testing.T) {
	res := func(c bench.Condition, p50, p99 time.Duration, cpu time.Duration, rounds int64) bench.NeighbourResult {
		return bench.NeighbourResult{Condition: c, Procs: 2, Latency: bench.Latencies{N: 100, P50: p50, P99: p99},
			CPU: cpu, Wall: time.Second, Rounds: rounds}
	}
	got := map[bench.Condition]bench.NeighbourResult{
		bench.NoUvpipe:         res(bench.NoUvpipe, 100*time.Microsecond, 200*time.Microsecond, 5*time.Millisecond, 0),
		bench.IdlePipes:        res(bench.IdlePipes, 110*time.Microsecond, 300*time.Microsecond, 10*time.Millisecond, 0),
		bench.PipePingPong:     res(bench.PipePingPong, 9*time.Millisecond, 11*time.Millisecond, time.Second, 50000),
		bench.UnixConnPingPong: res(bench.UnixConnPingPong, 150*time.Microsecond, 400*time.Microsecond, time.Second, 25000),
	}
	got[bench.UnixConnPingPong] = func(r bench.NeighbourResult) bench.NeighbourResult { r.Latency.N = 90; return r }(got[bench.UnixConnPingPong])
	rows := neighbourRows(2, got)
	require.Len(t, rows, neighbourRowsPer)
	want := []struct {
		name            string
		value, baseline float64
		ratio           float64
		against         string
		samples         int
	}{
		{"neighbour, GOMAXPROCS 2: HTTP p50, 4 pipes idle", 110, 100, 1.1, againstNoUvpipe, 100},
		{"neighbour, GOMAXPROCS 2: HTTP p99, 4 pipes idle", 300, 200, 1.5, againstNoUvpipe, 100},
		{"neighbour, GOMAXPROCS 2: CPU per GET, 4 pipes idle", 100, 50, 2, againstNoUvpipe, 100},
		{"neighbour, GOMAXPROCS 2: HTTP p50, SocketPair ping-pong", 9000, 150, 60, againstUnixConn, 90},
		{"neighbour, GOMAXPROCS 2: HTTP p99, SocketPair ping-pong", 11000, 400, 27.5, againstUnixConn, 90},
		{"neighbour, GOMAXPROCS 2: SocketPair ping-pong rate", 50000, 25000, 2, againstUnixConn, 90},
		{"neighbour, GOMAXPROCS 2: HTTP p50, UnixConn ping-pong", 150, 100, 1.5, againstNoUvpipe, 90},
		{"neighbour, GOMAXPROCS 2: HTTP p99, UnixConn ping-pong", 400, 200, 2, againstNoUvpipe, 90},
	}
	for i, w := range want {
		r := rows[i]
		assert.Equal(t, w.name, r.Name)
		assert.InDelta(t, w.value, r.Value, 1e-9, w.name)
		assert.InDelta(t, w.baseline, r.Baseline, 1e-9, w.name)
		assert.InDelta(t, w.ratio, r.Ratio, 1e-9, w.name)
		assert.Equal(t, w.against, r.Against, w.name)
		assert.Equal(t, w.samples, r.Samples, w.name)
		assert.Equal(t, "measured", r.Status, w.name)
	}
	assert.Equal(t, "rate", rows[5].RatioKind)
	assert.Equal(t, "time", rows[0].RatioKind)
}

func lineWith(text, s string) string {
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}
