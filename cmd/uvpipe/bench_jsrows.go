//go:build !windows

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"golang.org/x/sys/unix"

	"github.com/uvpipe/uvpipe/internal/bench"
	"github.com/uvpipe/uvpipe/ipc/netipc"
	"github.com/uvpipe/uvpipe/ipc/nodeipc"
	"github.com/uvpipe/uvpipe/pipe"
)

// jsWarm is how many round trips go untimed before a JS row is timed, as
// the peers' scripts do.
const jsWarm = 1000

// jsStep is one row against a JavaScript peer: what it measures, what its
// baseline is, and how to take both (in ns per round trip); missing says
// which peer is not there.
type jsStep struct {
	name, against string
	take          func(j jsPeers, n int) (goNs, baseNs float64, missing, err error)
}

// jsSteps are the rows against the JavaScript peers.
var jsSteps = []jsStep{
	{"Node fork IPC ping-pong, json: Go parent, node child", "node parent, node child", nodeIPC(nodeipc.JSON)},
	{"Node fork IPC ping-pong, advanced: Go parent, node child", "node parent, node child", nodeIPC(nodeipc.Advanced)},
	{"Bun IPC ping-pong, json: Go parent, bun child", "bun parent, bun child", bunIPC(nodeipc.JSON)},
	{"Bun IPC ping-pong, advanced: Go parent, bun child", "bun parent, bun child", bunIPC(nodeipc.Advanced)},
	{"pipe ping-pong 64 B: Go pipe.Pipe, bare-pipe echo", "a Bare pipe pair (bare-subprocess)", barePipe},
	{"net-ipc request/response: Go server, Go client", "net-ipc server, net-ipc client (node)", netIPC},
	{"channel ping-pong between two loops: channel/", "bare-channel between two Bare threads", bareChannel},
}

// jsRow takes a jsStep's measurement reps times as a table row, keeping the
// best time of each side: a JS peer's start-up and this machine's slow
// wake-ups make single runs noisy.
func jsRow(j jsPeers, s jsStep, n, reps int) benchRow {
	row := benchRow{Name: s.name, Against: s.against}
	var goNs, baseNs float64
	var missing, err error
	for i := 0; i < reps && missing == nil && err == nil; i++ {
		g, b, m, e := s.take(j, n)
		if i == 0 || g < goNs {
			goNs = g
		}
		if i == 0 || b < baseNs {
			baseNs = b
		}
		missing, err = m, e
	}
	switch {
	case missing != nil:
		row.Status = "missing: " + oneLine(missing)
	case err != nil:
		row.Status = "failed: " + oneLine(err)
	default:
		row.Unit, row.Value, row.Baseline = "µs/round trip", goNs/1e3, baseNs/1e3
		row.Ratio, row.RatioKind, row.Status = goNs/baseNs, "time", "measured"
	}
	return row
}

// benchMessage is the message of the IPC rows, as ipc/nodeipc/testdata/bench.js's.
type benchMessage struct {
	N int    `json:"n"`
	S string `json:"s"`
}

// nsResult is what the peers' scripts print.
type nsResult struct {
	NS float64 `json:"ns"`
}

// nodeIPC times Go parent ↔ node child round trips beside node parent ↔ node
// child (ipc/nodeipc/testdata/bench.js, as go test -bench ./ipc/nodeipc/ runs it).
func nodeIPC(mode nodeipc.Serialization) func(j jsPeers, n int) (float64, float64, error, error) {
	return func(j jsPeers, n int) (float64, float64, error, error) {
		node, nerr := j.node()
		script, serr := j.script(filepath.Join("ipc", "nodeipc", "testdata", "bench.js"))
		if err := needAll(nerr, serr); err != nil {
			return 0, 0, err, nil
		}
		return ipcPingPong(node, script, mode, n)
	}
}

// bunIPC is nodeIPC with bun at both ends; in advanced mode both speak
// Bun's own (the channel sees bun as the command).
func bunIPC(mode nodeipc.Serialization) func(j jsPeers, n int) (float64, float64, error, error) {
	return func(j jsPeers, n int) (float64, float64, error, error) {
		bun, berr := j.bun()
		script, serr := j.script(filepath.Join("ipc", "nodeipc", "testdata", "bench.js"))
		if err := needAll(berr, serr); err != nil {
			return 0, 0, err, nil
		}
		return ipcPingPong(bun, script, mode, n)
	}
}

// ipcPingPong runs bench.js under runtime as parent and child, then as the
// child of this process, and returns both times per round trip.
func ipcPingPong(runtime, script string, mode nodeipc.Serialization, n int) (float64, float64, error, error) {
	var base nsResult
	if err := runJSON(&base, runtime, script, "pingpong", string(mode), fmt.Sprint(n)); err != nil {
		return 0, 0, nil, err
	}
	cmd := exec.Command(runtime, script)
	cmd.Env = append(os.Environ(), "UVPIPE_BENCH_CHILD=echo")
	cmd.Stderr = os.Stderr
	ch, err := nodeipc.Start(cmd, nodeipc.Options{Serialization: mode})
	if err != nil {
		return 0, 0, nil, err
	}
	defer ch.Wait()
	defer ch.Disconnect()
	ctx, cancel := context.WithTimeout(context.Background(), childTimeout)
	defer cancel()
	msg := benchMessage{N: 1, S: "ping"}
	var start time.Time
	for i := 0; i < jsWarm+n; i++ {
		if i == jsWarm {
			start = time.Now()
		}
		if err := ch.Send(msg); err != nil {
			return 0, 0, nil, err
		}
		if _, err := ch.Recv(ctx); err != nil {
			return 0, 0, nil, err
		}
	}
	return perOpNs(time.Since(start), n), base.NS, nil, nil
}

func perOpNs(d time.Duration, n int) float64 { return float64(d.Nanoseconds()) / float64(n) }

// barePipe times 64-byte round trips between this process (pipe.Pipe's
// blocking API) and a bare-pipe echo, beside a Bare pipe pair: a bare parent
// and the same echo spawned with bare-subprocess.
func barePipe(j jsPeers, n int) (float64, float64, error, error) {
	bare, berr := j.bare()
	script, serr := j.script(filepath.Join("interop", "bench-bare-pipe.js"))
	if err := needAll(berr, serr); err != nil {
		return 0, 0, err, nil
	}
	var base nsResult
	if err := runJSON(&base, bare, script, "pingpong", fmt.Sprint(n)); err != nil {
		return 0, 0, nil, err
	}
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return 0, 0, nil, os.NewSyscallError("socketpair", err)
	}
	end := os.NewFile(uintptr(fds[1]), "bare")
	cmd := exec.Command(bare, script, "echo")
	cmd.ExtraFiles, cmd.Stderr = []*os.File{end}, os.Stderr
	err = cmd.Start()
	end.Close()
	if err != nil {
		unix.Close(fds[0])
		return 0, 0, nil, err
	}
	p, err := pipe.Config{}.Open(fds[0])
	if err != nil {
		unix.Close(fds[0])
		cmd.Process.Kill()
		cmd.Wait()
		return 0, 0, nil, err
	}
	took, err := bench.RoundTrips(p, n)
	p.Close()
	if werr := cmd.Wait(); err == nil && werr != nil {
		err = fmt.Errorf("bare echo: %w", werr)
	}
	return perOpNs(took, n), base.NS, nil, err
}

// netIPC times requests of a Go client to a Go server, both in this process,
// beside a net-ipc client and server in one node process
// (interop/bench-netipc.js); both servers answer with the request.
func netIPC(j jsPeers, n int) (float64, float64, error, error) {
	node, nerr := j.node()
	script, serr := j.script(filepath.Join("interop", "bench-netipc.js"))
	if err := needAll(nerr, serr, j.module("net-ipc")); err != nil {
		return 0, 0, err, nil
	}
	dir, err := os.MkdirTemp("", "uvpipe-bench")
	if err != nil {
		return 0, 0, nil, err
	}
	defer os.RemoveAll(dir)
	var base nsResult
	if err := runJSON(&base, node, script, filepath.Join(dir, "node.sock"), fmt.Sprint(n)); err != nil {
		return 0, 0, nil, err
	}
	srv, err := netipc.Listen(netipc.ServerOptions{
		Path: filepath.Join(dir, "go.sock"),
		OnRequest: []func(*netipc.ServerConn, json.RawMessage, func(any) error) bool{
			func(_ *netipc.ServerConn, req json.RawMessage, reply func(any) error) bool { reply(req); return true },
		},
	})
	if err != nil {
		return 0, 0, nil, err
	}
	defer srv.Shutdown(false)
	ctx, cancel := context.WithTimeout(context.Background(), childTimeout)
	defer cancel()
	c, err := netipc.Dial(ctx, netipc.ClientOptions{Path: filepath.Join(dir, "go.sock")})
	if err != nil {
		return 0, 0, nil, err
	}
	defer c.Destroy()
	msg := benchMessage{N: 1, S: "ping"}
	var start time.Time
	for i := 0; i < jsWarm+n; i++ {
		if i == jsWarm {
			start = time.Now()
		}
		if _, err := c.Request(ctx, msg); err != nil {
			return 0, 0, nil, err
		}
	}
	return perOpNs(time.Since(start), n), base.NS, nil, nil
}
