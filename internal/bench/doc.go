// Package bench holds the two-process measurements that both the pipe
// package's benchmarks (go test -bench ./pipe/) and `uvpipe bench` run: a
// 64-byte ping-pong (its wall time and the CPU time of both processes per
// round trip), one-way 64 KiB throughput and handle passing, each beside its
// raw baseline (blocking syscalls on the same kind of socket pair) measured
// in the same run.
//
// A measurement runs between this process and a peer process that the
// caller starts (a Starter: the test binary or uvpipe re-executed) on one end
// of a unix socket pair, as fd 3; the peer runs one of Peers.
//
// Neighbour is the good-neighbour measurement (go test -bench GoodNeighbour
// ./uv/ and `uvpipe bench`): the latency of an unrelated net/http server in a
// host peer while uvpipe idle-waits or ping-pongs beside it, its client a
// second peer, each Condition beside its baseline.
//
// The measurements need unix socket pairs and fd passing: on Windows the
// package holds only the latency arithmetic (Summarize, Percentile), and
// `uvpipe bench` says it does not run there.
package bench
