package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/uv"
)

// demoSteps are the lines `uvpipe demo` prints, in order.
var demoSteps = []string{
	`^libuv \d+\.\d+\.\d+, default loop started$`,
	`^event-style TCP echo server on 127\.0\.0\.1:\d+: 50 round trips of 64 bytes, \S+ each$`,
	`^timer fired \d+ times meanwhile`,
	`^half close answered with EOF$`,
	`^child started \(pid (\d+)\) in \S+$`,
	`^sent a listening socket 127\.0\.0\.1:\d+ in \S+$`,
	`^child is serving on it \(ready \S+ after the send\)$`,
	`^the child answered: "hello from uvpipe demo-child \(pid (\d+)\), serving the socket it was sent"$`,
	`^round trip through the child: 50 × 64 bytes, \S+ each$`,
	`^child stopped \(exit status 0\) in \S+$`,
}

// `uvpipe demo` run as a user would: every step, in order, and the child that
// answered through the socket is the child that was started.
func TestDemo(t *testing.T) {
	code, out, errOut := runCLI(t, "", "demo", "-n", "50")
	require.Equal(t, 0, code, "stderr: %s", errOut)
	require.Empty(t, errOut)
	checkDemoSteps(t, out)
}

// The demo in this process (its child is this test binary as uvpipe): it
// leaves no handle on the default loop, and TestMain sees no fd or goroutine
// left behind.
func TestDemoInProcess(t *testing.T) {
	t.Setenv(cliEnv, "1") // so that the re-executed test binary is uvpipe
	t.Setenv("GORACE", "atexit_sleep_ms=0")
	require.NoError(t, runDemo([]string{"-n", "50"}))
	require.Eventually(t, func() bool { return uv.Default().HandleCount() == 0 }, waitTimeout, 1e6,
		"the demo leaves no handle on the default loop")
}

// checkDemoSteps checks the demo's output against demoSteps.
func checkDemoSteps(t *testing.T, out string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	require.Len(t, lines, len(demoSteps), "output:\n%s", out)
	var pids []string
	for i, step := range demoSteps {
		m := regexp.MustCompile(step).FindStringSubmatch(lines[i])
		require.NotNil(t, m, "line %d %q does not match %s", i+1, lines[i], step)
		if len(m) > 1 {
			pids = append(pids, m[1])
		}
	}
	require.Len(t, pids, 2)
	require.Equal(t, pids[0], pids[1], "the child that answered is the one started")
}
