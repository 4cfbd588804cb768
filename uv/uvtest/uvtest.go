// Package uvtest holds what the tests of packages built on package uv share:
// the suite hygiene for the default loop, and helpers.
package uvtest

import (
	"fmt"
	"testing"

	"github.com/uvpipe/uvpipe/internal/testmain"
	"github.com/uvpipe/uvpipe/uv"
)

// Main runs a package's tests with testmain's hygiene, and checks that the
// default loop holds no handle when they are done.
func Main(m *testing.M, checks ...testmain.Check) {
	testmain.Run(m, testmain.Options{
		Setup:            startDefault,
		Checks:           append([]testmain.Check{NoHandles(uv.Default())}, checks...),
		IgnoreGoroutines: []string{"github.com/uvpipe/uvpipe/internal/wait.(*Background).run"},
	})
}

// NoHandles checks that loop l holds no handle.
func NoHandles(l *uv.Loop) testmain.Check {
	return func() error {
		if n := l.HandleCount(); n != 0 {
			return fmt.Errorf("the loop still holds %d handles", n)
		}
		return nil
	}
}

// NewLoop makes a loop for one test and, when the test ends, checks that it
// holds no handle and closes it.
func NewLoop(t testing.TB) *uv.Loop {
	t.Helper()
	l, err := uv.NewLoop()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if n := l.HandleCount(); n != 0 {
			t.Errorf("loop ends the test with %d handles open", n)
		}
		l.Close()
	})
	return l
}

// startDefault starts the default loop and everything it keeps for the life
// of the process, before the suite counts open fds: libuv opens a reserve fd
// (for accepting past EMFILE) with a loop's first stream.
func startDefault() {
	p, err := uv.NewPipe(uv.Default(), false, 0)
	if err != nil {
		panic(err)
	}
	p.Close()
}
