// Package testmain is the suite hygiene every uvpipe package runs from its
// TestMain: after the tests pass, no goroutine may be left behind (goleak),
// no file descriptor may be left open that was not open before (on unix:
// Windows has no fd list to compare), and every extra check (a uv loop
// holding no handle, say) must hold.
package testmain

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// Check is one more condition a suite must meet when its tests are done.
type Check func() error

// Options tunes Run.
type Options struct {
	// Setup runs before the open fds are counted: start what lives as long as
	// the process (the default uv loop) here, so its fds are not taken for
	// leaks.
	Setup func()
	// Checks run after the tests passed.
	Checks []Check
	// IgnoreGoroutines names functions whose goroutines may outlive the tests
	// (the default loop's background leader).
	IgnoreGoroutines []string
}

// Run runs the tests, then the hygiene checks, and exits.
func Run(m *testing.M, opts Options) {
	if opts.Setup != nil {
		opts.Setup()
	}
	before := openFDs()
	code := m.Run()
	if code == 0 {
		if err := verify(before, opts); err != nil {
			fmt.Fprintln(os.Stderr, "testmain:", err)
			code = 1
		}
	}
	os.Exit(code)
}

func verify(before map[string]string, opts Options) error {
	for _, c := range opts.Checks {
		if err := c(); err != nil {
			return err
		}
	}
	var ignore []goleak.Option
	for _, f := range opts.IgnoreGoroutines {
		ignore = append(ignore, goleak.IgnoreAnyFunction(f))
	}
	if err := goleak.Find(ignore...); err != nil {
		return fmt.Errorf("goroutines left behind: %w", err)
	}
	// A closed fd can take a moment to go (a child being reaped): look again.
	var leaked []string
	for try := 0; try < 50; try++ {
		leaked = leaked[:0]
		for fd, target := range openFDs() {
			if _, ok := before[fd]; !ok {
				leaked = append(leaked, fd+" -> "+target)
			}
		}
		if len(leaked) == 0 {
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	sort.Strings(leaked)
	return fmt.Errorf("%d file descriptors left open: %s", len(leaked), strings.Join(leaked, ", "))
}
