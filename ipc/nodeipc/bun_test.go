package nodeipc_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/internal/interop"
	"github.com/uvpipe/uvpipe/ipc/nodeipc"
	"github.com/uvpipe/uvpipe/ipc/v8"
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

// TestBunChildAdvancedIsRefused starts bun in advanced mode: its first bytes
// are JavaScriptCore's version packet, which ends the channel with an error
// saying to use json.
func TestBunChildAdvancedIsRefused(t *testing.T) {
	bun := interop.Bun(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bun, "testdata/child.js")
	ch, err := nodeipc.Start(cmd, nodeipc.Options{Serialization: nodeipc.Advanced})
	require.NoError(t, err)
	defer ch.Wait() //nolint:errcheck // bun may exit either way once the channel is gone
	// Bun writes its version packet when it first sends.
	require.NoError(t, ch.Send("internal"))
	var be *v8.BunAdvancedError
	require.ErrorAs(t, recvErr(t, ch), &be)
	require.Contains(t, be.Error(), "json")
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
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				defer cancel()
				cmd := exec.CommandContext(ctx, bun, "testdata/"+script, bin, scenario, "json")
				cmd.Env = append(os.Environ(), noRaceExitSleep)
				out, err := cmd.CombinedOutput()
				require.NoError(t, err, "bun %s: %s", script, out)
			})
		}
	}
}

func init() { children["bun-advanced"] = bunAdvancedChild }

// bunAdvancedChild is the Go child of a Bun parent in advanced mode: its
// first Recv must fail with a *v8.BunAdvancedError that says to use json,
// which it prints; it exits 0 only then.
func bunAdvancedChild() int {
	c, err := nodeipc.FromEnv()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bun-advanced child:", err)
		return 1
	}
	defer c.Close()
	if c.Serialization() != nodeipc.Advanced {
		fmt.Fprintln(os.Stderr, "bun-advanced child: the channel is", c.Serialization())
		return 1
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	m, err := c.Recv(ctx)
	var be *v8.BunAdvancedError
	if !errors.As(err, &be) {
		fmt.Fprintf(os.Stderr, "bun-advanced child: Recv returned %v, %v; want a *v8.BunAdvancedError\n", m.Value, err)
		return 1
	}
	fmt.Println("refused:", err)
	if !strings.Contains(err.Error(), "json") {
		return 1
	}
	return 0
}

// TestBunParentAdvancedIsRefused runs a Bun parent (Bun.spawn) in advanced
// mode with a Go child: the child recognises JavaScriptCore's version packet
// and fails with the error that says to use json.
func TestBunParentAdvancedIsRefused(t *testing.T) {
	bun := interop.Bun(t)
	bin, err := os.Executable()
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bun, "testdata/bunadvanced.js", bin, "bun-advanced")
	cmd.Env = append(os.Environ(), noRaceExitSleep)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	require.Contains(t, string(out), "refused:")
	require.Contains(t, string(out), "json")
}
