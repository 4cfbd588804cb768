package nodeipc_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/internal/interop"
	"github.com/uvpipe/uvpipe/ipc/internal/childtest"
	"github.com/uvpipe/uvpipe/ipc/nodeipc"
)

func init() { children["sendhandle"] = sendHandleChild }

// sendHandleChild sends a listener to its Bun.spawn parent, then a message
// queued behind it, and checks both answers of testdata/bunspawnhandle.js.
func sendHandleChild() int {
	fail := func(err error) int {
		fmt.Fprintln(os.Stderr, "sendhandle child:", err)
		return 1
	}
	c, err := nodeipc.FromEnv()
	if err != nil {
		return fail(err)
	}
	defer c.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fail(err)
	}
	defer ln.Close()
	if err := c.SendHandle("srv", ln, nodeipc.SendOptions{}); err != nil {
		return fail(err)
	}
	if err := c.Send("after"); err != nil {
		return fail(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), childtest.Timeout(15*time.Second))
	defer cancel()
	var got struct {
		Got    string
		Server bool
	}
	m, err := c.Recv(ctx)
	if err == nil {
		err = m.Decode(&got)
	}
	if err != nil {
		return fail(err)
	}
	if got.Got != "srv" || !got.Server {
		return fail(fmt.Errorf("the parent got %+v", got))
	}
	if m, err = c.Recv(ctx); err != nil || m.Value != "ok-after" {
		return fail(fmt.Errorf("after the handle: %v, %v", m.Value, err))
	}
	return 0
}

// TestBunSpawnParentTakesGoHandle: a Go child of Bun.spawn (advanced)
// sends a listener with SendHandle; Bun's ipc callback gets it as a
// net.Server (its third argument) and acknowledges it, so the message
// queued behind it follows.
func TestBunSpawnParentTakesGoHandle(t *testing.T) {
	bun := interop.Bun(t)
	bin, err := os.Executable()
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), childtest.Timeout(60*time.Second))
	defer cancel()
	cmd := exec.CommandContext(ctx, bun, "testdata/bunspawnhandle.js", bin)
	cmd.Env = append(os.Environ(), noRaceExitSleep)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
}
