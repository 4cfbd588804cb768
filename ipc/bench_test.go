package ipc_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/uvpipe/uvpipe/internal/interop"
	"github.com/uvpipe/uvpipe/ipc"
	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

// The Go children of the benchmarks, as testdata/bench.js's: one echoes,
// one counts messages until "done" and answers the count.
func init() {
	children["bench-echo"] = func() int { return benchChild(true) }
	children["bench-count"] = func() int { return benchChild(false) }
}

func benchChild(echo bool) int {
	c, err := ipc.FromEnv()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench child:", err)
		return 1
	}
	defer c.Close()
	count := 0
	for {
		m, err := c.Recv(context.Background())
		if err != nil {
			return 0
		}
		switch {
		case echo:
			err = c.Send(m.Value)
		case m.Value == "done":
			err = c.Send(count)
			count = 0
		default:
			count++
		}
		if err != nil {
			return 1
		}
	}
}

// benchMessage is the message every benchmark sends: {n: 1, s: "ping"}.
var benchMessage = jsvalue.NewObject("n", 1, "s", "ping")

// How many messages Node's side of a benchmark times.
const (
	nodePingPongs = 20000
	nodeBulk      = 200000
)

var nodeTimes sync.Map // "kind/mode" -> ns per message (float64)

// nodeNs times Node parent ↔ Node child once per kind and mode in this run:
// nanoseconds per round trip (pingpong) or per message (bulk).
func nodeNs(b *testing.B, kind string, mode ipc.Serialization) float64 {
	key := kind + "/" + string(mode)
	if v, ok := nodeTimes.Load(key); ok {
		return v.(float64)
	}
	n := nodePingPongs
	if kind == "bulk" {
		n = nodeBulk
	}
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, interop.Node(b), "testdata/bench.js", kind, string(mode), strconv.Itoa(n)).Output()
	if err != nil {
		b.Fatalf("node bench.js: %v", err)
	}
	var r struct{ Ns float64 }
	if err := json.Unmarshal(out, &r); err != nil {
		b.Fatalf("node bench.js printed %q: %v", out, err)
	}
	nodeTimes.Store(key, r.Ns)
	return r.Ns
}

// startBenchPeer starts a Go child (this binary) or a Node child
// (testdata/bench.js) in role echo or count.
func startBenchPeer(b *testing.B, peer, role string, mode ipc.Serialization) *ipc.Channel {
	var cmd *exec.Cmd
	if peer == "node" {
		cmd = exec.Command(interop.Node(b), "testdata/bench.js")
		cmd.Env = append(os.Environ(), "UVPIPE_BENCH_CHILD="+role)
	} else {
		bin, err := os.Executable()
		if err != nil {
			b.Fatal(err)
		}
		cmd = exec.Command(bin, "-test.run=^$")
		cmd.Env = append(os.Environ(), childEnv+"=bench-"+role, noRaceExitSleep)
	}
	cmd.Stderr = os.Stderr
	ch, err := ipc.Start(cmd, ipc.Options{Serialization: mode})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		ch.Disconnect()
		ch.Wait()
	})
	return ch
}

// benchContext is the context a benchmark receives with: one for the whole
// run, as a program receives with its own long-lived context (a context
// made per message would be timed too, which Node's side does not pay).
func benchContext(b *testing.B) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	b.Cleanup(cancel)
	return ctx
}

func benchRecv(b *testing.B, ctx context.Context, ch *ipc.Channel) ipc.Message {
	m, err := ch.Recv(ctx)
	if err != nil {
		b.Fatal(err)
	}
	return m
}

// BenchmarkPingPong times round trips of benchMessage between this Go parent
// and a Go child (go) or a Node child (node-child), beside Node parent ↔
// Node child timed in the same run: node-ns/op, and node/go, how many
// times faster this is than Node ↔ Node.
func BenchmarkPingPong(b *testing.B) {
	for _, mode := range modes {
		for _, peer := range []string{"go", "node"} {
			b.Run(string(mode)+"/"+peer+"-child", func(b *testing.B) {
				node := nodeNs(b, "pingpong", mode)
				ch := startBenchPeer(b, peer, "echo", mode)
				ctx := benchContext(b)
				round := func() {
					if err := ch.Send(benchMessage); err != nil {
						b.Fatal(err)
					}
					benchRecv(b, ctx, ch)
				}
				for i := 0; i < 1000; i++ {
					round()
				}
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					round()
				}
				b.StopTimer()
				report(b, node)
			})
		}
	}
}

// BenchmarkBulk times one-way messages from this Go parent to a Go or Node
// child that counts them, beside Node ↔ Node in the same run.
func BenchmarkBulk(b *testing.B) {
	for _, mode := range modes {
		for _, peer := range []string{"go", "node"} {
			b.Run(string(mode)+"/"+peer+"-child", func(b *testing.B) {
				node := nodeNs(b, "bulk", mode)
				ch := startBenchPeer(b, peer, "count", mode)
				ctx := benchContext(b)
				run := func(n int) {
					for i := 0; i < n; i++ {
						if err := ch.Send(benchMessage); err != nil {
							b.Fatal(err)
						}
					}
					if err := ch.Send("done"); err != nil {
						b.Fatal(err)
					}
					if got := benchRecv(b, ctx, ch).Value; got != float64(n) {
						b.Fatalf("the child counted %v, want %d", got, n)
					}
				}
				run(1000)
				b.ResetTimer()
				run(b.N)
				b.StopTimer()
				report(b, node)
			})
		}
	}
}

// report adds Node ↔ Node's time per message and the ratio to it.
func report(b *testing.B, nodeNs float64) {
	ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	b.ReportMetric(nodeNs, "node-ns/op")
	b.ReportMetric(nodeNs/ns, "node/go")
}
