package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// uvpipe bench takes every measurement with uvpipe itself as the peer and
// prints one table with a ratio per row, and the rows still pending.
func TestBenchTable(t *testing.T) {
	code, stdout, stderr := runCLI(t, "", "bench", "-n", "300")
	require.Equal(t, 0, code, "stderr: %s", stderr)
	for _, row := range []string{
		"ping-pong 64 B, pipe.Pipe blocking", "ping-pong 64 B, pipe.Pipe event API", "ping-pong 64 B, Go's net.UnixConn",
		"throughput, 64 KiB writes", "handles passed (a TCP listener)",
	} {
		line := lineWith(stdout, row)
		require.NotEmpty(t, line, "a row for %q in:\n%s", row, stdout)
		assert.Contains(t, line, "×", "the row has its ratio")
	}
	assert.Contains(t, stdout, "pending: the ipc server (issue 6)")
	assert.Contains(t, stderr, "[5/5]", "progress lines on stderr")
}

func TestBenchJSON(t *testing.T) {
	code, stdout, stderr := runCLI(t, "", "bench", "--json", "-n", "200")
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
	assert.Equal(t, 5, measured)
	assert.Len(t, rows, 5+len(pendingRows))
}

func TestBenchBadArguments(t *testing.T) {
	code, stdout, stderr := runCLI(t, "", "bench", "-n", "0")
	assert.Equal(t, 2, code)
	assert.Empty(t, stdout)
	requireOneLine(t, stderr)
	code, _, stderr = runCLI(t, "", "bench-peer")
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
