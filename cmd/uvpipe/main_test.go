package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/uv/uvtest"
)

// cliEnv, set to 1, makes the test binary be the uvpipe command instead of
// running the tests (the os/exec tests' pattern): the tests run it as a
// subprocess, as a user would, and `uvpipe demo` re-executes it as its child.
const cliEnv = "UVPIPE_CMD_AS_CLI"

func TestMain(m *testing.M) {
	if os.Getenv(cliEnv) == "1" {
		os.Exit(run(os.Args[1:]))
	}
	uvtest.Main(m)
}

// waitTimeout bounds every wait of these tests for the command: a generous
// deadline for a condition, never a budget the command must meet, scaled
// with the race detector, as the command's own waits are (raceScale).
const waitTimeout = raceScale * 2 * time.Minute

// proc is the command running as a subprocess, with its stdin to write and
// its output collected.
type proc struct {
	cmd            *exec.Cmd
	stdin          io.WriteCloser
	stdout, stderr lockedBuffer
	done           chan struct{} // closed once it has exited
	waitErr        error
}

// start runs `uvpipe args...` with a pipe as its stdin. When the test ends
// its stdin is closed and it is killed if it still runs.
func start(t *testing.T, args ...string) *proc {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = cliEnviron()
	return startCmd(t, cmd)
}

// startCmd starts cmd (uvpipe, or a peer) with a pipe as its stdin and its
// output collected, as start does.
func startCmd(t *testing.T, cmd *exec.Cmd) *proc {
	t.Helper()
	p := &proc{done: make(chan struct{}), cmd: cmd}
	p.cmd.Stdout, p.cmd.Stderr = &p.stdout, &p.stderr
	p.cmd.WaitDelay = waitTimeout
	stdin, err := p.cmd.StdinPipe()
	require.NoError(t, err)
	p.stdin = stdin
	require.NoError(t, p.cmd.Start())
	go func() {
		p.waitErr = p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		p.stdin.Close()
		p.cmd.Process.Kill()
		<-p.done
	})
	return p
}

// cliEnviron is the environment that makes the test binary be uvpipe. A
// binary built with -race sleeps a second at exit by default: not here.
func cliEnviron() []string {
	return append(os.Environ(), cliEnv+"=1", "GORACE="+strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
}

// runCLI runs `uvpipe args...` with stdin as its input to its end, and
// returns its exit code, stdout and stderr.
func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	p := start(t, args...)
	_, err := io.WriteString(p.stdin, stdin)
	require.NoError(t, err)
	p.stdin.Close()
	code := p.exit(t)
	return code, p.stdout.String(), p.stderr.String()
}

// exit waits (at most waitTimeout) for the command to exit and returns its
// exit code; it fails the test if the command does not exit.
func (p *proc) exit(t *testing.T) int {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(waitTimeout):
		p.cmd.Process.Kill()
		<-p.done
		t.Fatalf("uvpipe %s did not exit within %v; stderr: %s", strings.Join(p.cmd.Args[1:], " "), waitTimeout, p.stderr.String())
	}
	return p.cmd.ProcessState.ExitCode()
}

// running reports whether the command is still running.
func (p *proc) running() bool {
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

// waitStderr waits (at most waitTimeout) until the command's stderr holds s.
func (p *proc) waitStderr(t *testing.T, s string) {
	t.Helper()
	require.Eventually(t, func() bool { return strings.Contains(p.stderr.String(), s) }, waitTimeout, 5*time.Millisecond,
		"stderr never said %q; it holds %q", s, p.stderr.String())
}

// waitStdout waits (at most waitTimeout) until the command's stdout is s.
func (p *proc) waitStdout(t *testing.T, s string) {
	t.Helper()
	require.Eventually(t, func() bool { return p.stdout.String() == s }, waitTimeout, 5*time.Millisecond,
		"stdout never became %q; it holds %q", s, p.stdout.String())
}

// lockedBuffer is a bytes.Buffer safe to read while the command writes it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// requireOneLine checks that s is one line beginning "uvpipe: ".
func requireOneLine(t *testing.T, s string) {
	t.Helper()
	require.Regexp(t, `^uvpipe: [^\n]+\n$`, s, "an error is one line on stderr")
}
