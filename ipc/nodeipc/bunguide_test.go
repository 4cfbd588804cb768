package nodeipc_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/internal/interop"
	"github.com/uvpipe/uvpipe/ipc/internal/childtest"
	"github.com/uvpipe/uvpipe/ipc/jsvalue"
	"github.com/uvpipe/uvpipe/ipc/nodeipc"
)

func init() { children["guide"] = guideChild }

// guideChild is the child.ts of Bun's IPC guide in Go: it sends a string
// and an object, then prints every message it receives, as console.log
// would (to stderr: Bun.spawn pipes the child's stdout and the guide's
// parent never reads it), until it has the parent's greeting and the two answers its
// messages get from the guide's parent.ts.
func guideChild() int {
	c, err := nodeipc.FromEnv()
	if err != nil {
		fmt.Fprintln(os.Stderr, "guide child:", err)
		return 1
	}
	defer c.Close()
	if err := c.Send("Hello from child as string"); err != nil {
		fmt.Fprintln(os.Stderr, "guide child:", err)
		return 1
	}
	if err := c.Send(jsvalue.NewObject("message", "Hello from child as object")); err != nil {
		fmt.Fprintln(os.Stderr, "guide child:", err)
		return 1
	}
	ctx, cancel := context.WithTimeout(context.Background(), childtest.Timeout(20*time.Second))
	defer cancel()
	for range 3 {
		m, err := c.Recv(ctx)
		if err != nil {
			fmt.Fprintln(os.Stderr, "guide child:", err)
			return 1
		}
		fmt.Fprintln(os.Stderr, m.Value)
	}
	fmt.Fprintln(os.Stderr, "runtime:", c.Runtime())
	return 0
}

// TestBunGuideParentGoChild runs the parent.ts of Bun's guide unchanged
// (Bun.spawn with an ipc callback, the default advanced serialization) with
// a Go child found by FromEnv: the child gets the parent's message, and
// the parent's ipc callback answers each of the child's two messages.
func TestBunGuideParentGoChild(t *testing.T) {
	lines := runGuideParent(t, "guide")
	require.ElementsMatch(t, []string{"I am your father", "Respond to child", "Respond to child", "runtime: bun"}, lines)
}

// runGuideParent runs the guide's parent.ts under the pinned bun with this
// binary as the helper child named child, and returns what the parent and
// its children printed, one line each (with no carriage returns).
func runGuideParent(t *testing.T, child string) []string {
	t.Helper()
	bun := interop.Bun(t)
	bin, err := os.Executable()
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), childtest.Timeout(60*time.Second))
	defer cancel()
	cmd := exec.CommandContext(ctx, bun, "testdata/guide/parent.ts", bin)
	cmd.Env = append(os.Environ(), childEnv+"="+child, noRaceExitSleep)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	for i := range lines {
		lines[i] = strings.TrimSuffix(lines[i], "\r")
	}
	return lines
}
