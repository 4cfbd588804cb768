package ipc_test

import (
	"os"
	"testing"

	"github.com/uvpipe/uvpipe/uv/uvtest"
)

// childEnv names the helper child a re-executed test binary runs.
const childEnv = "UVPIPE_IPC_CHILD"

func TestMain(m *testing.M) {
	if name := os.Getenv(childEnv); name != "" {
		run, ok := children[name]
		if !ok {
			os.Stderr.WriteString("ipc test: no child named " + name + "\n")
			os.Exit(2)
		}
		os.Exit(run())
	}
	uvtest.Main(m)
}
