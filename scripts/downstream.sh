#!/usr/bin/env bash
# downstream.sh — checks the README's "Using uvpipe from another module": a
# throwaway module that requires uvpipe (with a replace to this checkout)
# builds and runs both ways, against the system's libuv (-tags system_libuv)
# and with cgo's flags pointing at build/; and `go install -tags system_libuv
# github.com/uvpipe/uvpipe/cmd/uvpipe` gives a command that runs. Needs the
# system's libuv (pkg-config libuv) and ./build.sh's output. Works offline:
# the modules come from the module cache.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
say() { printf 'downstream.sh: %s\n' "$*" >&2; }

mkdir -p "$t/mod"
cat > "$t/mod/go.mod" <<MOD
module example.test/downstream

go 1.26.0

require github.com/uvpipe/uvpipe v0.0.0

replace github.com/uvpipe/uvpipe => $root
MOD
cat > "$t/mod/main.go" <<'GO'
// Command downstream echoes a line over a socket pair through uvpipe and
// prints the libuv version it runs on.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/uvpipe/uvpipe/pipe"
	"github.com/uvpipe/uvpipe/uv"
)

func main() {
	a, b, err := pipe.SocketPair()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer a.Close()
	defer b.Close()
	go func() { a.Write([]byte("hello")); a.CloseWrite() }()
	got, err := io.ReadAll(b)
	if err != nil || string(got) != "hello" {
		fmt.Fprintln(os.Stderr, "echo failed:", string(got), err)
		os.Exit(1)
	}
	fmt.Println(uv.Version())
}
GO
cp "$root/go.sum" "$t/mod/go.sum" # uvpipe's own checksums verify its requirements
cd "$t/mod"
export GOFLAGS=-mod=mod GOPROXY=off GOWORK=off
go mod tidy >/dev/null

sys=$(pkg-config --modversion libuv)
go build -tags system_libuv -o "$t/sys" .
got=$("$t/sys")
[ "$got" = "$sys" ] || { say "-tags system_libuv runs on libuv $got, want the system's $sys"; exit 1; }
say "-tags system_libuv: built and ran on libuv $got"

# shellcheck source=../third_party/libuv/pin
pinned=$(. "$root/third_party/libuv/pin" && echo "$LIBUV_VERSION")
CGO_CFLAGS="-I$root/build/include" CGO_LDFLAGS="-L$root/build/lib" go build -o "$t/pinned" .
got=$("$t/pinned")
[ "$got" = "$pinned" ] || { say "with CGO flags at build/ it runs on libuv $got, want $pinned"; exit 1; }
say "CGO_CFLAGS/CGO_LDFLAGS at build/: built and ran on libuv $got"

GOBIN="$t/bin" go install -tags system_libuv github.com/uvpipe/uvpipe/cmd/uvpipe
"$t/bin/uvpipe" help >/dev/null
say "go install -tags system_libuv .../cmd/uvpipe: installed, uvpipe help runs"
