//go:build !windows

package bench

import (
	"os"
	"testing"

	"github.com/uvpipe/uvpipe/internal/testmain"
)

// peerEnv makes the test binary, re-executed, run the named one of Peers on
// fd 3 instead of the tests.
const peerEnv = "UVPIPE_BENCH_TEST_PEER"

func TestMain(m *testing.M) {
	if name := os.Getenv(peerEnv); name != "" {
		peer, ok := Peers[name]
		if !ok {
			os.Exit(2)
		}
		os.Exit(peer())
	}
	testmain.Run(m, testmain.Options{})
}

// testStarter starts Peers as children of this test binary.
func testStarter() Starter { return ExecStarter(os.Args[0], []string{"-test.run=^$"}, peerEnv) }
