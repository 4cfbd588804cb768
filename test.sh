#!/usr/bin/env bash
# test.sh — the whole test suite, as CI runs it: build libuv, install the
# pinned JavaScript peers, vet, test everything with -race, and test uv/ once
# more built with GOEXPERIMENT=cgocheck2. Then the other builds: uv/, pipe/
# and the Node channel package against the system's libuv (-tags
# system_libuv; Debian's libuv1-dev, installed with apt-get when run as
# root), uv/ and pipe/ with the portable poller (-tags uvpipe_portable, the
# path macOS and the BSDs take), and a throwaway module that uses uvpipe
# (scripts/downstream.sh); and the build without cgo, where uv is a stub.
# Last, the Windows stage (scripts/windows-stage.sh): the packages built for
# Windows with mingw-w64 and tested under Wine against the pinned node.exe
# and bun.exe; where Wine cannot be installed it fails unless
# UVPIPE_SKIP_WINDOWS=1.
#
# Long soaks and fuzzing are not part of it; see the README.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

./build.sh
if ! command -v npm >/dev/null; then
  echo "test.sh: npm is missing: the interop tests need node and npm (Debian: apt-get install nodejs npm)" >&2
  exit 1
fi
(cd interop && npm ci --no-audit --no-fund --loglevel=error)
go vet ./...
go test -race -timeout 20m ./...
GOEXPERIMENT=cgocheck2 go test -count=1 -timeout 10m ./uv/...

# The system's libuv, whichever release it is (Debian 12: 1.44.2).
if ! pkg-config --exists libuv 2>/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "test.sh: installing libuv1-dev with apt-get" >&2
    apt-get -qq update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get -qq install -y libuv1-dev pkg-config >/dev/null
  else
    echo "test.sh: the system's libuv is missing: install it (Debian: sudo apt-get install libuv1-dev pkg-config)" >&2
    exit 1
  fi
fi
go vet -tags system_libuv ./uv/ ./pipe/ ./ipc/nodeipc/
go test -race -count=1 -timeout 10m -tags system_libuv ./uv/ ./pipe/ ./ipc/nodeipc/
go test -race -count=1 -timeout 10m -tags uvpipe_portable ./uv/ ./pipe/
CGO_ENABLED=0 go vet ./...
CGO_ENABLED=0 go test -count=1 ./uv/
scripts/downstream.sh
scripts/windows-stage.sh
