//go:build cgo

package uv_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/uv"
)

// publicPathTests are the tests of what has a private fast path beside its
// public one: dispatch and passes, writes that fail or time out, handle
// passing with WriteFD and ReadHandles, moving streams and listeners, Refs
// and Wait.
const publicPathTests = "Dispatch|Timer|Background|Write|Handle|Detach|Moved|Listener|Refs|Wait|Stream|Close|UDP|TCP"

// Where the private fast paths are compiled, the tests that concern them run
// again in a child with them off (UVPIPE_PRIVATE=0), so both paths are
// tested in every run; the child checks it took the public path.
func TestPublicPathPassesThePrivatePathsTests(t *testing.T) {
	if os.Getenv("UVPIPE_PRIVATE") == "0" {
		assert.False(t, uv.PrivateFastPaths(), "UVPIPE_PRIVATE=0 leaves the private fast paths on")
		assert.False(t, uv.Dispatching())
		return
	}
	if !uv.PrivateFastPaths() {
		t.Skip("this build has only the public path, which every test takes")
	}
	args := []string{"-test.run", publicPathTests + "|TestPublicPathPassesThePrivatePathsTests", "-test.count=1"}
	if testing.Short() {
		args = append(args, "-test.short")
	}
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "UVPIPE_PRIVATE=0")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "the public path fails:\n%s", out)
	assert.True(t, strings.HasSuffix(strings.TrimSpace(string(out)), "PASS"), "%s", out)
}
