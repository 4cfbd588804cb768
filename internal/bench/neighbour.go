//go:build !windows

package bench

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"time"
)

// Condition is what a good-neighbour host process runs beside its HTTP
// server while the server's latency is measured.
type Condition string

// The conditions of a good-neighbour measurement.
const (
	// NoUvpipe runs nothing beside the server: the baseline. uvpipe is not
	// used in the host process at all.
	NoUvpipe Condition = "none"
	// IdlePipes blocks IdleReads pipe.Pipe Reads (two pipe.SocketPairs)
	// with nothing ever written to them.
	IdlePipes Condition = "idle"
	// PipePingPong runs a Size-byte ping-pong over a pipe.SocketPair, both
	// ends in the host, one goroutine echoing, one writing and reading back.
	PipePingPong Condition = "pipe-pingpong"
	// UnixConnPingPong runs the same ping-pong over Go's own *net.UnixConn
	// on a unix socket pair.
	UnixConnPingPong Condition = "unixconn-pingpong"
)

// Conditions are all the conditions, the baseline first.
var Conditions = []Condition{NoUvpipe, IdlePipes, PipePingPong, UnixConnPingPong}

// IdleReads is how many pipe.Pipe Reads IdlePipes keeps blocked.
const IdleReads = 4

// DefaultNeighbourCap is what a zero Neighbour.Cap means.
const DefaultNeighbourCap = 4 * time.Second

// neighbourWarm is how many GETs go untimed before the timed ones.
const neighbourWarm = 20

// Neighbour measures whether uvpipe is a good neighbour to the rest of a
// process: the latency of an unrelated net/http server in a host process
// (one of Peers, started with GOMAXPROCS set to Procs) while the host runs a
// Condition, its client being another process that makes sequential GETs
// over loopback TCP, one connection kept alive. Everything is bounded: the
// client makes at most Requests timed GETs and stops at Cap.
type Neighbour struct {
	Procs    int           // the host's GOMAXPROCS; 0 leaves Go's choice
	Requests int           // timed GETs
	Cap      time.Duration // when the timed GETs stop even if fewer were made; 0 means DefaultNeighbourCap
}

// NeighbourResult is one good-neighbour measurement.
type NeighbourResult struct {
	Condition Condition
	Procs     int       // the host's GOMAXPROCS as it ran
	Latency   Latencies // of the timed GETs, as the client saw them
	// CPU is the host process's CPU time (SelfCPU) from just before the
	// first timed GET to just after the last, and Wall the wall time
	// between the same two points.
	CPU, Wall time.Duration
	// Rounds is how many ping-pong round trips the host made in that time.
	Rounds int64
}

// CPUPerRequest is the host's CPU time per timed GET.
func (r NeighbourResult) CPUPerRequest() time.Duration { return perOps(r.CPU, r.Latency.N) }

// Busy is the host's CPU time over the wall time: the share of one CPU it
// used while the GETs ran.
func (r NeighbourResult) Busy() float64 {
	if r.Wall <= 0 {
		return 0
	}
	return r.CPU.Seconds() / r.Wall.Seconds()
}

// hostConfig is what the host is told first.
type hostConfig struct {
	Condition Condition `json:"condition"`
	Procs     int       `json:"procs"`
}

// hostReady is the host's answer: where its server listens.
type hostReady struct {
	Addr  string `json:"addr"`
	Procs int    `json:"procs"`
	Err   string `json:"err,omitempty"`
}

// hostStop asks the host to stop; it answers with a hostDone.
type hostStop struct{}

// hostDone is what the host measured between the client's two marks.
type hostDone struct {
	CPU    time.Duration `json:"cpu_ns"`
	Wall   time.Duration `json:"wall_ns"`
	Rounds int64         `json:"rounds"`
	Marks  int           `json:"marks"`
	Err    string        `json:"err,omitempty"`
}

// clientConfig tells the client what to do.
type clientConfig struct {
	Addr     string        `json:"addr"`
	Warm     int           `json:"warm"`
	Requests int           `json:"requests"`
	Cap      time.Duration `json:"cap_ns"`
}

// clientDone is the client's answer: the latency of each timed GET.
type clientDone struct {
	Latencies []time.Duration `json:"latencies_ns"`
	Err       string          `json:"err,omitempty"`
}

// errString makes an error of what a peer reported, nil for "".
func errString(who, s string) error {
	if s == "" {
		return nil
	}
	return fmt.Errorf("%s: %s", who, s)
}

// Measure starts the host (peer "neighbour-host") with cond, then the
// client (peer "neighbour-client"), collects the client's latencies, stops
// the host and collects what it measured.
func (nb Neighbour) Measure(start Starter, cond Condition) (NeighbourResult, error) {
	capd := nb.Cap
	if capd <= 0 {
		capd = DefaultNeighbourCap
	}
	// Nothing waits past this: every exchange with a peer has a deadline.
	deadline := time.Now().Add(capd + time.Minute)
	host, hostWait, err := startConn(start, "neighbour-host", deadline)
	if err != nil {
		return NeighbourResult{}, err
	}
	res, err := nb.measureWith(start, host, cond, capd, deadline)
	host.Close()
	return res, errors.Join(err, hostWait())
}

func (nb Neighbour) measureWith(start Starter, host *peerConn, cond Condition, capd time.Duration, deadline time.Time) (NeighbourResult, error) {
	var ready hostReady
	if err := host.exchange(hostConfig{Condition: cond, Procs: nb.Procs}, &ready); err != nil {
		return NeighbourResult{}, fmt.Errorf("neighbour host: %w", err)
	}
	if err := errString("neighbour host", ready.Err); err != nil {
		return NeighbourResult{}, err
	}
	client, clientWait, err := startConn(start, "neighbour-client", deadline)
	if err != nil {
		return NeighbourResult{}, err
	}
	var got clientDone
	err = client.exchange(clientConfig{Addr: ready.Addr, Warm: neighbourWarm, Requests: nb.Requests, Cap: capd}, &got)
	client.Close()
	if err = errors.Join(err, clientWait(), errString("neighbour client", got.Err)); err != nil {
		return NeighbourResult{}, err
	}
	var done hostDone
	if err := host.exchange(hostStop{}, &done); err != nil {
		return NeighbourResult{}, fmt.Errorf("neighbour host: %w", err)
	}
	if err := errString("neighbour host", done.Err); err != nil {
		return NeighbourResult{}, err
	}
	if done.Marks != 2 {
		return NeighbourResult{}, fmt.Errorf("neighbour host: saw %d marks, want 2", done.Marks)
	}
	return NeighbourResult{Condition: cond, Procs: ready.Procs, Latency: Summarize(got.Latencies),
		CPU: done.CPU, Wall: done.Wall, Rounds: done.Rounds}, nil
}

// peerConn is a JSON exchange with a peer over its socket pair.
type peerConn struct {
	net.Conn
	enc *json.Encoder
	dec *json.Decoder
}

// startConn starts the named peer and wraps this end of its socket pair.
func startConn(start Starter, name string, deadline time.Time) (*peerConn, func() error, error) {
	fd, wait, err := start(name)
	if err != nil {
		return nil, nil, err
	}
	c, err := fdConn(fd)
	if err != nil {
		return nil, nil, errors.Join(err, wait())
	}
	c.SetDeadline(deadline)
	return c, wait, nil
}

// fdConn makes a peerConn of a socket fd, which it takes over.
func fdConn(fd int) (*peerConn, error) {
	f := os.NewFile(uintptr(fd), "peer")
	c, err := net.FileConn(f)
	f.Close()
	if err != nil {
		return nil, err
	}
	return &peerConn{Conn: c, enc: json.NewEncoder(c), dec: json.NewDecoder(c)}, nil
}

// exchange sends v and decodes the answer into ans.
func (c *peerConn) exchange(v, ans any) error {
	if err := c.enc.Encode(v); err != nil {
		return err
	}
	return c.dec.Decode(ans)
}
