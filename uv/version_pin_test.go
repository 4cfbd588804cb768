//go:build cgo && !system_libuv

package uv_test

import (
	"os"
	"regexp"
)

// pinned is the libuv version third_party/libuv/pin names, which the
// default build links.
var pinned = func() string {
	b, err := os.ReadFile("../third_party/libuv/pin")
	if err != nil {
		panic(err)
	}
	return regexp.MustCompile(`(?m)^LIBUV_VERSION=(\S+)`).FindStringSubmatch(string(b))[1]
}()
