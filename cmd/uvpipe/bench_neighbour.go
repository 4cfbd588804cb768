//go:build !windows

package main

import (
	"fmt"
	"time"

	"github.com/uvpipe/uvpipe/internal/bench"
)

// neighbourStep is one GOMAXPROCS's good-neighbour measurements, which give
// several rows.
type neighbourStep struct {
	name string
	take func() ([]benchRow, error)
}

// What the good-neighbour rows are measured against.
const (
	againstNoUvpipe  = "no uvpipe in the process"
	againstUnixConn  = "the same over Go's net.UnixConn"
	neighbourLatUnit = "µs"
)

// neighbourSteps measure the server's latency under every bench.Condition,
// in a host with GOMAXPROCS 1, then 2.
func neighbourSteps(start bench.Starter, requests int) []neighbourStep {
	var steps []neighbourStep
	for _, procs := range []int{1, 2} {
		nb := bench.Neighbour{Procs: procs, Requests: requests}
		steps = append(steps, neighbourStep{
			name: fmt.Sprintf("neighbour, GOMAXPROCS %d", procs),
			take: func() ([]benchRow, error) {
				got := make(map[bench.Condition]bench.NeighbourResult)
				for _, c := range bench.Conditions {
					r, err := nb.Measure(start, c)
					if err != nil {
						return nil, fmt.Errorf("%s: %w", c, err)
					}
					got[c] = r
				}
				return neighbourRows(procs, got), nil
			},
		})
	}
	return steps
}

// neighbourRows are the rows of one GOMAXPROCS's measurements: the
// server's p50 and p99 and the host's CPU per GET while pipes idle-wait,
// against no uvpipe; its p50 and p99 during the pipe.SocketPair ping-pong,
// against the net.UnixConn one; the ping-pong's own rate, against the
// net.UnixConn one's; and the net.UnixConn ping-pong's p50 and p99, against
// no uvpipe.
func neighbourRows(procs int, got map[bench.Condition]bench.NeighbourResult) []benchRow {
	none, idle := got[bench.NoUvpipe], got[bench.IdlePipes]
	pp, uc := got[bench.PipePingPong], got[bench.UnixConnPingPong]
	prefix := fmt.Sprintf("neighbour, GOMAXPROCS %d: ", procs)
	idleWhat := fmt.Sprintf("%d pipes idle", bench.IdleReads)
	rows := []benchRow{
		latRow("HTTP p50, "+idleWhat, idle.Latency.P50, none.Latency.P50, againstNoUvpipe, idle, none),
		latRow("HTTP p99, "+idleWhat, idle.Latency.P99, none.Latency.P99, againstNoUvpipe, idle, none),
		{Name: "CPU per GET, " + idleWhat, Unit: "CPU µs/GET", Value: micros(idle.CPUPerRequest()),
			Baseline: micros(none.CPUPerRequest()), Against: againstNoUvpipe, Samples: min(idle.Latency.N, none.Latency.N)},
		latRow("HTTP p50, SocketPair ping-pong", pp.Latency.P50, uc.Latency.P50, againstUnixConn, pp, uc),
		latRow("HTTP p99, SocketPair ping-pong", pp.Latency.P99, uc.Latency.P99, againstUnixConn, pp, uc),
		{Name: "SocketPair ping-pong rate", Unit: "round trips/s", Value: rate(pp),
			Baseline: rate(uc), Against: againstUnixConn, RatioKind: "rate", Samples: min(pp.Latency.N, uc.Latency.N)},
		latRow("HTTP p50, UnixConn ping-pong", uc.Latency.P50, none.Latency.P50, againstNoUvpipe, uc, none),
		latRow("HTTP p99, UnixConn ping-pong", uc.Latency.P99, none.Latency.P99, againstNoUvpipe, uc, none),
	}
	for i := range rows {
		r := &rows[i]
		r.Name = prefix + r.Name
		if r.RatioKind == "" {
			r.RatioKind = "time"
		}
		r.Ratio = ratio(r.Value, r.Baseline)
		r.Status = "measured"
	}
	return rows
}

// latRow is a row of a latency against another, in µs.
func latRow(name string, v, base time.Duration, against string, a, b bench.NeighbourResult) benchRow {
	return benchRow{Name: name, Unit: neighbourLatUnit, Value: micros(v), Baseline: micros(base),
		Against: against, Samples: min(a.Latency.N, b.Latency.N)}
}

// rate is a ping-pong's round trips per second of the host's window.
func rate(r bench.NeighbourResult) float64 {
	if r.Wall <= 0 {
		return 0
	}
	return float64(r.Rounds) / r.Wall.Seconds()
}

// ratio is v over base, 0 when base is 0 (nothing to compare with).
func ratio(v, base float64) float64 {
	if base == 0 {
		return 0
	}
	return v / base
}
