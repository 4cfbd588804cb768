package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/internal/interop"
)

// uvpipe bench takes every measurement, with uvpipe itself as the peer and
// against the JavaScript peers, and prints one table with a ratio per row
// and what its baseline is.
func TestBenchTable(t *testing.T) {
	requireBenchPeers(t)
	code, stdout, stderr := runCLI(t, "", "bench", "-n", "300", "--reps", "1")
	require.Equal(t, 0, code, "stderr: %s", stderr)
	for _, row := range []string{
		"ping-pong 64 B, pipe.Pipe blocking", "ping-pong 64 B, pipe.Pipe event API", "ping-pong 64 B, Go's net.UnixConn",
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
	assert.Contains(t, stderr, "[11/11]", "progress lines on stderr")
}

// Peers that are not there are listed as missing, with why, not dropped:
// a source tree without node_modules, and no node on the PATH.
func TestBenchMissingPeers(t *testing.T) {
	root := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(root, "interop"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(root, "interop", "package.json"), []byte("{}"), 0o644))
	cmd := exec.Command(os.Args[0], "bench", "--json", "-n", "100", "--root", root)
	cmd.Env = append(cliEnviron(), "PATH="+t.TempDir())
	p := startCmd(t, cmd)
	p.stdin.Close()
	require.Equal(t, 0, p.exit(t), "stderr: %s", p.stderr.String())
	var rows []benchRow
	require.NoError(t, json.Unmarshal([]byte(p.stdout.String()), &rows))
	require.Len(t, rows, 5+len(jsSteps))
	want := []string{
		"missing: node is not on the PATH", "missing: node is not on the PATH", "missing: bun is not installed",
		"missing: bare is not installed", "missing: node is not on the PATH", "missing: bare is not installed",
	}
	for i, s := range jsSteps {
		r := rows[5+i]
		assert.Equal(t, s.name, r.Name)
		assert.True(t, strings.HasPrefix(r.Status, want[i]), "%s: %s", r.Name, r.Status)
		assert.Zero(t, r.Value)
	}

	code, stdout, stderr := runCLI(t, "", "bench", "-n", "100", "--root", t.TempDir())
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
	code, stdout, stderr := runCLI(t, "", "bench", "--json", "-n", "200", "--reps", "2")
	require.Equal(t, 0, code, "stderr: %s", stderr)
	var rows []benchRow
	require.NoError(t, json.Unmarshal([]byte(stdout), &rows))
	measured := 0
	for _, r := range rows {
		if r.Status == "measured" {
			measured++
			assert.Greater(t, r.Value, 0.0, r.Name)
			assert.Greater(t, r.Baseline, 0.0, r.Name)
			assert.Greater(t, r.Ratio, 0.0, r.Name)
		}
	}
	assert.Equal(t, 5+len(jsSteps), measured)
	assert.Len(t, rows, 5+len(jsSteps))
}

func TestBenchBadArguments(t *testing.T) {
	for _, args := range [][]string{{"-n", "0"}, {"--reps", "0"}} {
		code, stdout, stderr := runCLI(t, "", append([]string{"bench"}, args...)...)
		assert.Equal(t, 2, code, "%v", args)
		assert.Empty(t, stdout)
		requireOneLine(t, stderr)
	}
	code, _, stderr := runCLI(t, "", "bench-peer")
	assert.Equal(t, 2, code, "a peer without its name: %s", stderr)
}

func lineWith(text, s string) string {
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}
