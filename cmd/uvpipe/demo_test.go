package main

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/internal/interop"
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

// nodeSteps are the lines of the demo's node part, in order.
var nodeSteps = []string{
	`^node child started \(pid (\d+)\) with a Node IPC channel in \S+$`,
	`^sent it a listening socket 127\.0\.0\.1:\d+ with NODE_HANDLE; node v\d+\.\d+\.\d+ serving on it \S+ after the send$`,
	`^the child answered: "hello from node v\d+\.\d+\.\d+ \(pid (\d+)\), serving the socket it was sent"$`,
	`^round trip through the child: 50 × 64 bytes, \S+ each$`,
	`^channel disconnected, node child stopped \(exit status 0\) in \S+$`,
}

// `uvpipe demo` run as a user would: every step, in order, and the child that
// answered through the socket is the child that was started, for uvpipe's
// own child and for the node child.
func TestDemo(t *testing.T) {
	skipOnWindows(t, "the demo's uvpipe child needs a unix socket pair, so the demo stops there with ErrUnsupported (TestDemoRefusesItsChildOnWindows)")
	interop.Node(t)
	code, out, errOut := runCLI(t, "", "demo", "-n", "50")
	require.Equal(t, 0, code, "stderr: %s", errOut)
	require.Empty(t, errOut)
	checkDemoSteps(t, out, nodeSteps)
}

// Without node on the PATH the demo does its own part and says it skipped
// the node child.
func TestDemoWithoutNode(t *testing.T) {
	skipOnWindows(t, "the demo's uvpipe child needs a unix socket pair, so the demo stops there with ErrUnsupported (TestDemoRefusesItsChildOnWindows)")
	cmd := exec.Command(os.Args[0], "demo", "-n", "50")
	cmd.Env = append(cliEnviron(), "PATH="+t.TempDir())
	p := startCmd(t, cmd)
	p.stdin.Close()
	require.Equal(t, 0, p.exit(t), "stderr: %s", p.stderr.String())
	require.Empty(t, p.stderr.String())
	checkDemoSteps(t, p.stdout.String(), []string{`^node is not on the PATH: skipped the node child$`})
}

// The demo in this process (its child is this test binary as uvpipe): it
// leaves no handle on the default loop, and TestMain sees no fd or goroutine
// left behind.
func TestDemoInProcess(t *testing.T) {
	skipOnWindows(t, "the demo's uvpipe child needs a unix socket pair, so the demo stops there with ErrUnsupported (TestDemoRefusesItsChildOnWindows)")
	t.Setenv(cliEnv, "1") // so that the re-executed test binary is uvpipe
	t.Setenv("GORACE", "atexit_sleep_ms=0")
	interop.Node(t)
	require.NoError(t, runDemo([]string{"-n", "50"}))
	require.Eventually(t, func() bool { return uv.Default().HandleCount() == 0 }, waitTimeout, 1e6,
		"the demo leaves no handle on the default loop")
}

// checkDemoSteps checks the demo's output against demoSteps followed by
// those of its node part, and that in each part the pid that answered is
// the pid started.
func checkDemoSteps(t *testing.T, out string, nodePart []string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	steps := append(append([]string(nil), demoSteps...), nodePart...)
	require.Len(t, lines, len(steps), "output:\n%s", out)
	var pids []string
	for i, step := range steps {
		m := regexp.MustCompile(step).FindStringSubmatch(lines[i])
		require.NotNil(t, m, "line %d %q does not match %s", i+1, lines[i], step)
		if len(m) > 1 {
			pids = append(pids, m[1])
		}
	}
	require.True(t, len(pids) == 2 || len(pids) == 4, "pids %v", pids)
	for i := 0; i < len(pids); i += 2 {
		require.Equal(t, pids[i], pids[i+1], "the child that answered is the one started")
	}
}
