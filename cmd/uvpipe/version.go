package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/uvpipe/uvpipe/uv"
)

func init() {
	commands["version"] = command{summary: "print uvpipe's version and the version of the libuv it runs on", run: runVersion}
}

// runVersion is `uvpipe version`.
func runVersion(args []string) error {
	f := newFlags("version", "", 0, 0, describe(`Print uvpipe's version (its module version, or the
commit it was built from, as the Go toolchain recorded them), the Go version
and platform it was built with, and on a second line the version of the
libuv it runs on.`))
	if _, err := f.parse(args); err != nil {
		return err
	}
	fmt.Printf("uvpipe %s, built with %s for %s/%s\n", buildVersion(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	fmt.Printf("libuv %s\n", uv.Version())
	return nil
}

// buildVersion is the version the Go toolchain stamped into the binary: the
// module's version, with the commit (and "+dirty" for uncommitted changes)
// when it says only "(devel)"; "unknown" without build information.
func buildVersion() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := info.Main.Version
	if v == "" {
		v = "(devel)"
	}
	if v != "(devel)" {
		return v
	}
	var rev, dirty string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev != "" {
		return v + " " + rev + dirty
	}
	return v
}
