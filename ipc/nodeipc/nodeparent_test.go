package nodeipc_test

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/uvpipe/uvpipe/internal/interop"
	"github.com/uvpipe/uvpipe/ipc/internal/childtest"
)

// TestNodeParentGoChild runs testdata/parent.js, a Node parent that spawns
// this test binary as a Go child with an IPC channel (echoChild), through
// each scenario in both serializations.
func TestNodeParentGoChild(t *testing.T) {
	node := interop.Node(t)
	bin, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for _, mode := range []string{"json", "advanced"} {
		for _, scenario := range []string{"pingpong", "many", "big", "internal", "server", "socket", "socketlist", "udp", "shared", "exitqueued"} {
			t.Run(mode+"/"+scenario, func(t *testing.T) {
				ctx, cancel := context.WithTimeout(context.Background(), childtest.Timeout(30*time.Second))
				defer cancel()
				cmd := exec.CommandContext(ctx, node, "testdata/parent.js", bin, scenario, mode)
				cmd.Env = append(os.Environ(), noRaceExitSleep)
				out, err := cmd.CombinedOutput()
				if err != nil {
					t.Fatalf("node parent: %v\n%s", err, out)
				}
			})
		}
	}
}
