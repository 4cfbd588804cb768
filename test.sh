#!/usr/bin/env bash
# test.sh — the whole test suite, as CI runs it: build libuv, install the
# pinned JavaScript peers, vet, test everything with -race, and test uv/ once
# more built with GOEXPERIMENT=cgocheck2.
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
