//go:build cgo

package uv_test

import (
	"os"
	"testing"

	"github.com/uvpipe/uvpipe/uv/uvtest"
)

// childEnv makes the test binary, re-executed, a helper child instead of
// running the tests: its value names what the child does (runChild, one per
// platform).
const childEnv = "UVPIPE_UV_TEST_CHILD"

// TestMain runs the suite with uvtest.Main's hygiene: no goroutine left
// behind, no fd left open (where the platform has fds to count), the
// default loop holding no handle.
func TestMain(m *testing.M) {
	if mode := os.Getenv(childEnv); mode != "" {
		os.Exit(runChild(mode))
	}
	uvtest.Main(m)
}
