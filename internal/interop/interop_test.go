package interop_test

import (
	"os"
	"os/exec"
	"path/filepath"
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

// interop/postinstall.js sets the run bit of the Bare runtime npm installed
// for the machine npm installs for, whichever it is, and when the lock holds
// none for it (arm64 here) says so and succeeds, so that npm ci does.
func TestPostinstall(t *testing.T) {
	node := interop.Node(t)
	script := filepath.Join(interop.Dir(t), "postinstall.js")
	for _, arch := range []string{"x64", "arm64"} {
		dir := t.TempDir()
		require.NoError(t, copyFile(script, filepath.Join(dir, "postinstall.js")))
		bin := filepath.Join(dir, "node_modules", "bare-runtime-linux-"+arch, "bin", "bare")
		require.NoError(t, os.MkdirAll(filepath.Dir(bin), 0o755))
		require.NoError(t, os.WriteFile(bin, []byte("not a real runtime"), 0o644))
		// The runtime of the other processor is not there, as npm leaves it.
		other := map[string]string{"x64": "arm64", "arm64": "x64"}[arch]

		cmd := exec.Command(node, "postinstall.js")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "npm_config_os=linux", "npm_config_cpu="+arch)
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s", out)
		assert.Empty(t, string(out), arch)
		st, err := os.Stat(bin)
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o755), st.Mode().Perm(), arch)

		cmd = exec.Command(node, "postinstall.js")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "npm_config_os=linux", "npm_config_cpu="+other)
		out, err = cmd.CombinedOutput()
		require.NoError(t, err, "%s", out)
		assert.Contains(t, string(out), "bare-runtime-linux-"+other+" is not installed", arch)
	}
}

func copyFile(from, to string) error {
	b, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, b, 0o644)
}
