package channel_test

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Package channel imports nothing under ipc/ (imports only point down the
// layers; a codec comes in as a hook such as Config.Clone), which the go
// command's own list of its dependencies shows.
func TestImportsNothingOfIPC(t *testing.T) {
	skipOnWindows(t, "it runs the go command, which a test binary under Wine does not have; the Linux run checks the rule")
	goCmd := filepath.Join(runtime.GOROOT(), "bin", "go")
	out, err := exec.Command(goCmd, "list", "-deps", "-f", "{{.ImportPath}}", ".").Output()
	require.NoError(t, err)
	deps := strings.Fields(string(out))
	require.Contains(t, deps, "github.com/uvpipe/uvpipe/channel")
	for _, d := range deps {
		assert.False(t, strings.HasPrefix(d, "github.com/uvpipe/uvpipe/ipc"), "channel depends on %s", d)
	}
}
