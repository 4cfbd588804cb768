// Package interop finds the real JavaScript peers uvpipe's tests run against:
// node from the machine, and bare, bun and the npm modules pinned in the
// module's interop/ directory (installed there by `npm ci`, which the
// README's test command runs).
//
// A missing peer fails the test that needs it, with a message saying how to
// install it; only UVPIPE_SKIP_INTEROP=1 turns that into a skip.
package interop

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// SkipEnv is the environment variable that, set to 1, skips interop tests
// whose peer is missing instead of failing them.
const SkipEnv = "UVPIPE_SKIP_INTEROP"

// Root returns the module's top directory (the one holding go.mod and
// interop/), found from the working directory upward.
func Root() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "interop", "package.json")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("interop: no interop/package.json above the working directory")
		}
		dir = parent
	}
}

// Dir returns the interop/ directory, where scripts that require the pinned
// npm modules must live (or be run from).
func Dir(tb testing.TB) string {
	tb.Helper()
	root, err := Root()
	if err != nil {
		missing(tb, err.Error())
	}
	return filepath.Join(root, "interop")
}

// Node returns the path of node: on Windows the pinned node.exe
// (NodeExe), elsewhere node from the PATH.
func Node(tb testing.TB) string {
	tb.Helper()
	if runtime.GOOS == "windows" {
		return NodeExe(tb)
	}
	p, err := exec.LookPath("node")
	if err != nil {
		missing(tb, "node is not on PATH (Debian: apt-get install nodejs)")
	}
	return p
}

// Bare returns the path of the pinned bare runtime: the binary of the
// runtime package npm installed for this machine (bare-runtime-linux-x64,
// bare-runtime-linux-arm64, ...).
func Bare(tb testing.TB) string {
	tb.Helper()
	return pinnedBinary(tb, filepath.Join("node_modules", BareRuntime(), "bin", "bare"))
}

// BareRuntime is the name of the npm package that holds the Bare binary for
// this machine's system and processor, in npm's names for them.
func BareRuntime() string {
	arch := runtime.GOARCH
	switch arch {
	case "amd64":
		arch = "x64"
	case "386":
		arch = "ia32"
	}
	return "bare-runtime-" + runtime.GOOS + "-" + arch
}

// Bun returns the path of the pinned bun: on Windows bun.exe (BunExe).
func Bun(tb testing.TB) string {
	tb.Helper()
	if runtime.GOOS == "windows" {
		return BunExe(tb)
	}
	return pinnedBinary(tb, filepath.Join("node_modules", ".bin", "bun"))
}

// Module checks that the npm module name is installed in interop/.
func Module(tb testing.TB, name string) {
	tb.Helper()
	if _, err := os.Stat(filepath.Join(Dir(tb), "node_modules", name, "package.json")); err != nil {
		missing(tb, "the npm module "+name+" is not installed: run `npm ci` in interop/")
	}
}

func pinnedBinary(tb testing.TB, rel string) string {
	tb.Helper()
	p := filepath.Join(Dir(tb), rel)
	st, err := os.Stat(p)
	if err != nil {
		missing(tb, p+" is missing: run `npm ci` in interop/")
	}
	if st.Mode()&0o111 == 0 {
		missing(tb, p+" is not executable: run `npm ci` in interop/ (its postinstall sets the bit)")
	}
	return p
}

func missing(tb testing.TB, why string) {
	tb.Helper()
	if os.Getenv(SkipEnv) == "1" {
		tb.Skip(why + " (skipped: " + SkipEnv + "=1)")
	}
	tb.Fatal(why + " (set " + SkipEnv + "=1 to skip interop tests on purpose)")
}
