//go:build !windows

package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// rootEnv names the uvpipe source tree when --root is not given.
const rootEnv = "UVPIPE_ROOT"

// jsPeers are where the JavaScript peers of the bench are: the uvpipe source
// tree holding their scripts (interop/ and ipc/nodeipc/testdata/bench.js) and the
// pinned bun and bare in interop/node_modules, and node from the PATH.
type jsPeers struct {
	root    string // "" when not found
	rootErr error
}

// findRoot finds the uvpipe source tree: dir when set, else $UVPIPE_ROOT,
// else the first directory holding interop/package.json found upward from
// the working directory, then from the executable's directory.
func findRoot(dir string) jsPeers {
	if dir == "" {
		dir = os.Getenv(rootEnv)
	}
	if dir != "" {
		if !isRoot(dir) {
			return jsPeers{rootErr: fmt.Errorf("%s holds no interop/package.json", dir)}
		}
		return jsPeers{root: dir}
	}
	var starts []string
	if wd, err := os.Getwd(); err == nil {
		starts = append(starts, wd)
	}
	if exe, err := os.Executable(); err == nil {
		starts = append(starts, filepath.Dir(exe))
	}
	for _, d := range starts {
		for {
			if isRoot(d) {
				return jsPeers{root: d}
			}
			parent := filepath.Dir(d)
			if parent == d {
				break
			}
			d = parent
		}
	}
	return jsPeers{rootErr: errors.New("no uvpipe source tree found (run from a clone, or give --root or " + rootEnv + ")")}
}

func isRoot(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, "interop", "package.json"))
	return err == nil
}

// script is the path of a script of the source tree, rel to its root.
func (j jsPeers) script(rel string) (string, error) {
	if j.root == "" {
		return "", j.rootErr
	}
	p := filepath.Join(j.root, rel)
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("%s is missing", p)
	}
	return p, nil
}

// node is node from the PATH.
func (j jsPeers) node() (string, error) {
	p, err := exec.LookPath("node")
	if err != nil {
		return "", errors.New("node is not on the PATH")
	}
	return p, nil
}

// pinned is a runtime pinned in interop/node_modules (rel below it).
func (j jsPeers) pinned(name, rel string) (string, error) {
	if j.root == "" {
		return "", j.rootErr
	}
	p := filepath.Join(j.root, "interop", "node_modules", rel)
	st, err := os.Stat(p)
	if err != nil || st.Mode()&0o111 == 0 {
		return "", fmt.Errorf("%s is not installed (run npm ci in %s)", name, filepath.Join(j.root, "interop"))
	}
	return p, nil
}

func (j jsPeers) bun() (string, error) { return j.pinned("bun", filepath.Join(".bin", "bun")) }

// bare is the binary of the Bare runtime package npm installed for this
// machine (bare-runtime-linux-x64, bare-runtime-linux-arm64, ...), as
// internal/interop's Bare finds it for the tests.
func (j jsPeers) bare() (string, error) {
	arch := map[string]string{"amd64": "x64", "386": "ia32"}[runtime.GOARCH]
	if arch == "" {
		arch = runtime.GOARCH
	}
	return j.pinned("bare", filepath.Join("bare-runtime-"+runtime.GOOS+"-"+arch, "bin", "bare"))
}

// module checks that the npm module name is installed in interop/.
func (j jsPeers) module(name string) error {
	_, err := j.script(filepath.Join("interop", "node_modules", name, "package.json"))
	if err != nil {
		return fmt.Errorf("the npm module %s is not installed (run npm ci in interop/)", name)
	}
	return nil
}

// runJSON runs a peer to its end and decodes the JSON line it prints last.
func runJSON(v any, name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("%s %s: %w", filepath.Base(name), strings.Join(args, " "), err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), v); err != nil {
		return fmt.Errorf("%s printed %q: %w", filepath.Base(name), out, err)
	}
	return nil
}

// needAll returns the first error of errs: what is missing for a row.
func needAll(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
