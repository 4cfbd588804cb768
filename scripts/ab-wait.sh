#!/usr/bin/env bash
# ab-wait.sh — the same-run A/B of the wait path's mechanisms (docs/performance.md, "What each mechanism of
# the wait buys"). It builds package uv's test binary once as it is and once with each mechanism turned off
# (a one-line edit, undone at once), then runs them interleaved, REPS times each: BenchmarkPingPong64/epoll
# (a ping-pong with another process, as a ratio to raw syscalls in the same run) and the in-process
# ping-pong of BenchmarkPingPongBesideIdleReaders (alone-ns/op), pinned to one CPU and free.
# The spin and the hold are turned off with UVPIPE_SPIN=0 and UVPIPE_HOLD=0. Run it on a quiet machine.
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
out=${OUT:-$(mktemp -d)}
reps=${REPS:-4}
if [ -n "$(git status --porcelain -- internal/wait uv)" ]; then
  echo "ab-wait.sh: internal/wait or uv has uncommitted changes; commit or stash them first" >&2
  exit 1
fi
variant() {
  local name=$1; shift
  for e in "$@"; do eval "$e"; done
  if [ $# -gt 0 ] && git diff --quiet -- internal/wait uv; then
    echo "ab-wait.sh: the edit for $name no longer applies" >&2
    exit 1
  fi
  go test -c -o "$out/$name.test" ./uv/
  git checkout -q -- internal/wait uv
}
variant base
variant nodispatch "sed -i 's/if (!first \&\& uvp_dispatch(/if (0 \&\& uvp_dispatch(/' uv/shim.c"
variant noquiet "sed -i 's/^\t\t\tquiet.stash_ok = 1$/\t\t\t_ = quiet/' uv/leader.go"
variant noyield "sed -i '/^\tif yield {$/,/^\t}$/d' internal/wait/poller.go"
variant oneyield "sed -i '0,/^\t\truntime.Gosched()$/{/^\t\truntime.Gosched()$/d}' internal/wait/poller.go"
variant noprocscache "sed -i 's/^const procsEvery = 1024$/const procsEvery = 1/' internal/wait/sched.go"
variant nobreath "sed -i 's/^const breathEvery = .*/const breathEvery = 100 * time.Hour/' internal/wait/poller.go"
cd uv
for rep in $(seq "$reps"); do
  for v in base nodispatch noquiet noyield oneyield noprocscache nobreath nospin nohold; do
    bin=$out/$v.test; env=()
    case $v in
      nospin) bin=$out/base.test; env=(UVPIPE_SPIN=0) ;;
      nohold) bin=$out/base.test; env=(UVPIPE_HOLD=0) ;;
    esac
    for mode in pinned free; do
      pin=(); [ "$mode" = pinned ] && pin=(taskset -c 0)
      x=$(env "${env[@]}" "${pin[@]}" "$bin" -test.run '^$' -test.bench 'PingPong64/epoll' -test.benchtime 10000x | grep -oE '[0-9.]+ x-raw' | cut -d' ' -f1)
      y=$(env "${env[@]}" "${pin[@]}" "$bin" -test.run '^$' -test.bench 'BesideIdle' -test.benchtime 5000x | grep -oE '[0-9.]+ alone-ns/op' | cut -d' ' -f1)
      echo "$rep $v $mode x-raw=$x in-process-ns=$y"
    done
  done
done
