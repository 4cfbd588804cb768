package ipc_test

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/internal/interop"
	"github.com/uvpipe/uvpipe/ipc"
	"github.com/uvpipe/uvpipe/ipc/jsvalue"
	"github.com/uvpipe/uvpipe/ipc/v8"
)

func TestGoParentBunChild(t *testing.T) {
	bun := interop.Bun(t)
	t.Run("pingpong", func(t *testing.T) {
		ch := startJS(t, bun, ipc.Options{})
		for _, v := range pingValues(ipc.JSON) {
			require.NoError(t, ch.Send(v))
			m := recv(t, ch)
			require.Nil(t, m.Handle)
			same(t, ipc.JSON, v, m.Value)
		}
	})
	t.Run("many", func(t *testing.T) {
		ch := startJS(t, bun, ipc.Options{})
		const n = 10000
		errc := make(chan error, 1)
		go func() {
			for i := 0; i < n; i++ {
				if err := ch.Send(jsvalue.NewObject("i", i)); err != nil {
					errc <- err
					return
				}
			}
			errc <- nil
		}()
		for i := 0; i < n; i++ {
			var got struct{ I int }
			require.NoError(t, recv(t, ch).Decode(&got))
			require.Equal(t, i, got.I)
		}
		require.NoError(t, <-errc)
	})
	t.Run("internal", func(t *testing.T) {
		ch := startJS(t, bun, ipc.Options{})
		require.NoError(t, ch.Send("internal"))
		require.Equal(t, "after-internal", recv(t, ch).Value)
	})
	t.Run("listener", func(t *testing.T) {
		ch := startJS(t, bun, ipc.Options{})
		l := listenLocal(t)
		require.NoError(t, ch.SendHandle("lst", l, ipc.SendOptions{}))
		same(t, ipc.JSON, jsvalue.NewObject("ready", "lst", "type", "net.Server"), recv(t, ch).Value)
		addr := l.Addr().String()
		l.Close()
		for i := 0; i < 3; i++ {
			s, err := dialReadAll(addr)
			require.NoError(t, err)
			require.Equal(t, "node:lst\n", s)
		}
		require.NoError(t, ch.Send("after"))
		require.Equal(t, "after", recv(t, ch).Value)
	})
	t.Run("socket", func(t *testing.T) {
		ch := startJS(t, bun, ipc.Options{})
		l := listenLocal(t)
		errc := make(chan error, 1)
		got := make(chan string, 1)
		go func() {
			s, err := dialReadAll(l.Addr().String())
			got <- s
			errc <- err
		}()
		conn, err := l.AcceptTCP()
		require.NoError(t, err)
		defer conn.Close()
		require.NoError(t, ch.SendHandle("conn", conn, ipc.SendOptions{KeepOpen: true}))
		require.NoError(t, ch.Send("queued"))
		same(t, ipc.JSON, jsvalue.NewObject("ready", "conn", "type", "net.Socket"), recv(t, ch).Value)
		require.Equal(t, "queued", recv(t, ch).Value)
		conn.Close()
		require.Equal(t, "node-socket:conn\n", <-got)
		require.NoError(t, <-errc)
	})
}

// TestBunChildAdvancedIsRefused starts bun in advanced mode: its first bytes
// are JavaScriptCore's version packet, which ends the channel with an error
// saying to use json.
func TestBunChildAdvancedIsRefused(t *testing.T) {
	bun := interop.Bun(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bun, "testdata/child.js")
	ch, err := ipc.Start(cmd, ipc.Options{Serialization: ipc.Advanced})
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
				out, err := cmd.CombinedOutput()
				require.NoError(t, err, "bun %s: %s", script, out)
			})
		}
	}
}
