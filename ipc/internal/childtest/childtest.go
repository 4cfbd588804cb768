// Package childtest lets a protocol package's test binary run as one of its
// own helper children, the os/exec tests' pattern: a test starts
// os.Args[0] with Env naming a child, and that process's TestMain runs the
// child instead of the tests.
package childtest

import (
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/uvpipe/uvpipe/uv/uvtest"
)

// Env names the helper child a re-executed test binary runs.
const Env = "UVPIPE_IPC_CHILD"

// NoRaceExitSleep, added to a child's environment, spares a Go child built
// with -race the race detector's sleep at exit.
const NoRaceExitSleep = "GORACE=atexit_sleep_ms=0"

// Main is a TestMain: it runs and exits with the child named by Env when it
// is set (exit status 2 for a name not in children), and otherwise runs the
// tests with uvtest.Main's checks.
func Main(m *testing.M, children map[string]func() int) {
	if name := os.Getenv(Env); name != "" {
		run, ok := children[name]
		if !ok {
			os.Stderr.WriteString("ipc test: no child named " + name + "\n")
			os.Exit(2)
		}
		os.Exit(run())
	}
	uvtest.Main(m)
}

// Timeout is d multiplied by UVPIPE_TEST_SCALE, which the Windows stage sets
// because everything under Wine runs several times slower (unset: d). The
// tests' deadlines are hang detectors, never budgets: each is scaled so that
// a slow machine only takes longer.
func Timeout(d time.Duration) time.Duration {
	if n, err := strconv.Atoi(os.Getenv("UVPIPE_TEST_SCALE")); err == nil && n > 1 {
		return d * time.Duration(n)
	}
	return d
}
