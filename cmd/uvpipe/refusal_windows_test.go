package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// uvpipe bench refuses on Windows, in one line that says why: its
// measurements need unix socket pairs and fd passing.
func TestBenchRefusedOnWindows(t *testing.T) {
	code, out, errOut := runCLI(t, "", "bench")
	require.Equal(t, 1, code, "stderr: %s", errOut)
	require.Empty(t, out)
	requireOneLine(t, errOut)
	require.Contains(t, errOut, "uvpipe bench: its measurements need unix socket pairs")
}

// uvpipe demo on Windows does its loop part, then stops at its uvpipe
// child, which needs a unix socket pair, in one line that says so.
func TestDemoRefusesItsChildOnWindows(t *testing.T) {
	code, out, errOut := runCLI(t, "", "demo", "-n", "50")
	require.Equal(t, 1, code, "stderr: %s", errOut)
	requireOneLine(t, errOut)
	require.Contains(t, errOut, "the demo's uvpipe child (demo-child) needs a unix socket pair")
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	require.Len(t, lines, 4, "the loop part's lines: %q", out)
	for i, l := range lines {
		require.Regexp(t, regexp.MustCompile(demoSteps[i]), l)
	}
}
