package nodeipc_test

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/internal/interop"
	"github.com/uvpipe/uvpipe/ipc/internal/childtest"
	"github.com/uvpipe/uvpipe/ipc/nodeipc"
)

func TestGoParentBunChild(t *testing.T) {
	bun := interop.Bun(t)
	json := nodeipc.Options{}
	t.Run("pingpong", func(t *testing.T) { checkPingPong(t, startJS(t, bun, json), nodeipc.JSON) })
	t.Run("many", func(t *testing.T) { checkManyInOrder(t, startJS(t, bun, json)) })
	t.Run("internal", func(t *testing.T) {
		ch := startJS(t, bun, json)
		require.NoError(t, ch.Send("internal"))
		require.Equal(t, "after-internal", recv(t, ch).Value)
	})
	t.Run("listener", func(t *testing.T) { checkSendListener(t, startJS(t, bun, json), nodeipc.JSON) })
	t.Run("socket", func(t *testing.T) { checkSendConn(t, startJS(t, bun, json), nodeipc.JSON) })
}

// TestBunParentGoChild runs testdata/parent.js under bun (node:child_process
// as Bun implements it) and testdata/bunparent.js (Bun.spawn with an ipc
// callback), each spawning this binary as a Go child in json mode.
func TestBunParentGoChild(t *testing.T) {
	bun := interop.Bun(t)
	bin, err := os.Executable()
	require.NoError(t, err)
	scenarios := map[string][]string{
		"parent.js":    {"pingpong", "many", "internal", "server", "socket"},
		"bunparent.js": {"pingpong", "many", "internal"}, // Bun.spawn's send takes no handle
	}
	for script, list := range scenarios {
		for _, scenario := range list {
			t.Run(script+"/"+scenario, func(t *testing.T) {
				ctx, cancel := context.WithTimeout(context.Background(), childtest.Timeout(30*time.Second))
				defer cancel()
				cmd := exec.CommandContext(ctx, bun, "testdata/"+script, bin, scenario, "json")
				cmd.Env = append(os.Environ(), noRaceExitSleep)
				out, err := cmd.CombinedOutput()
				require.NoError(t, err, "bun %s: %s", script, out)
			})
		}
	}
}
