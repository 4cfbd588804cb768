package interop_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/internal/interop"
	"github.com/uvpipe/uvpipe/internal/testmain"
)

func TestMain(m *testing.M) { testmain.Run(m, testmain.Options{}) }

func output(t *testing.T, dir string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s %v: %s", name, args, out)
	return strings.TrimSpace(string(out))
}

// Each pinned peer runs and loads what the tests need of it.
func TestPeersRun(t *testing.T) {
	dir := interop.Dir(t)
	t.Run("node", func(t *testing.T) {
		out := output(t, dir, interop.Node(t), "-e", `const n = require('net-ipc'); console.log(process.version, typeof n.Server, typeof n.Client)`)
		assert.Regexp(t, `^v\d+\.\d+\.\d+ function function$`, out)
	})
	t.Run("bare", func(t *testing.T) {
		for _, m := range []string{"bare-pipe", "bare-tcp", "bare-ipc", "bare-channel", "bare-structured-clone"} {
			interop.Module(t, m)
		}
		out := output(t, dir, interop.Bare(t), "check-peers.js")
		assert.Equal(t, "v1.31.0 function function function function 00001500130101016104000000000000f03f", out)
	})
	t.Run("bun", func(t *testing.T) {
		assert.Equal(t, "1.4.5", output(t, dir, interop.Bun(t), "--version"))
	})
}
