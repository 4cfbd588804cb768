//go:build cgo

package uv_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
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

// privateFields are libuv's private fields that package uv has used: the
// loop's, a handle's and a write request's. A public field (data, type,
// loop, ipc, write_queue_size, send_queue_count) is not among them.
var privateFields = regexp.MustCompile(`\b(io_watcher|accepted_fd|queued_fds|pipe_fname|watchers|nwatchers|pevents|bufsml|bufs|nbufs|write_index|active_reqs|active_handles|watcher_queue|timer_heap|prepare_handles|check_handles|signal_io_watcher)\b`)

// The C side reads or writes libuv's private fields only inside the
// version guard's blocks (#if UVP_PRIVATE in private.h), and the Go side
// never does.
func TestPrivateFieldsOnlyUnderTheGuard(t *testing.T) {
	files, err := filepath.Glob("*.[ch]")
	require.NoError(t, err)
	gofiles, err := filepath.Glob("*.go")
	require.NoError(t, err)
	for _, f := range append(files, gofiles...) {
		if strings.HasSuffix(f, "_test.go") || f == "private.h" {
			continue
		}
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		var guard []bool // per #if: inside a UVP_PRIVATE branch
		for i, line := range strings.Split(string(b), "\n") {
			s := strings.TrimSpace(line)
			switch {
			case strings.HasPrefix(s, "#if"):
				guard = append(guard, strings.Contains(s, "UVP_PRIVATE") && !strings.HasPrefix(s, "#if !"))
				continue
			case strings.HasPrefix(s, "#else"), strings.HasPrefix(s, "#elif"):
				guard[len(guard)-1] = false
				continue
			case strings.HasPrefix(s, "#endif"):
				guard = guard[:len(guard)-1]
				continue
			}
			code, _, _ := strings.Cut(line, "//")
			if strings.HasSuffix(f, ".go") {
				// Go reaches C fields only through a C. name or a cgo value.
				if m := privateFields.FindString(code); m != "" && strings.Contains(code, "."+m) {
					t.Errorf("%s:%d: libuv's private field %s in Go: %s", f, i+1, m, s)
				}
				continue
			}
			m := privateFields.FindString(code)
			if m != "" && !slices.Contains(guard, true) && (strings.Contains(code, "->"+m) || strings.Contains(code, "."+m)) {
				t.Errorf("%s:%d: libuv's private field %s outside #if UVP_PRIVATE: %s", f, i+1, m, s)
			}
		}
	}
}
