package nodeipc_test

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
	"github.com/uvpipe/uvpipe/ipc/internal/childtest"
	"github.com/uvpipe/uvpipe/ipc/jsvalue"
	"github.com/uvpipe/uvpipe/ipc/nodeipc"
)

// The Go children of the benchmarks, as testdata/bench.js's: one echoes,
// one counts messages until "done" and answers the count.
func init() {
	children["bench-echo"] = func() int { return benchChild(true) }
	children["bench-count"] = func() int { return benchChild(false) }
}

func benchChild(echo bool) int {
	c, err := nodeipc.FromEnv()
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

// How many messages a JavaScript baseline times.
const (
	jsPingPongs = 20000
	jsBulk      = 200000
)

var jsTimes sync.Map // "runtime/kind/mode" -> ns per message (float64)

// jsRuntime returns the path of a JavaScript runtime: node, or the pinned
// bun.
func jsRuntime(b *testing.B, runtime string) string {
	if runtime == "bun" {
		return interop.Bun(b)
	}
	return interop.Node(b)
}

// baselineNs times a parent ↔ child of one JavaScript runtime (testdata/
// bench.js forking itself) once per kind and mode in this run: nanoseconds
// per round trip (pingpong) or per message (bulk).
func baselineNs(b *testing.B, runtime, kind string, mode nodeipc.Serialization) float64 {
	key := runtime + "/" + kind + "/" + string(mode)
	if v, ok := jsTimes.Load(key); ok {
		return v.(float64)
	}
	n := jsPingPongs
	if kind == "bulk" {
		n = jsBulk
	}
	ctx, cancel := context.WithTimeout(context.Background(), childtest.Timeout(120*time.Second))
	defer cancel()
	out, err := exec.CommandContext(ctx, jsRuntime(b, runtime), "testdata/bench.js", kind, string(mode), strconv.Itoa(n)).Output()
	if err != nil {
		b.Fatalf("%s bench.js: %v", runtime, err)
	}
	var r struct{ Ns float64 }
	if err := json.Unmarshal(out, &r); err != nil {
		b.Fatalf("%s bench.js printed %q: %v", runtime, out, err)
	}
	jsTimes.Store(key, r.Ns)
	return r.Ns
}

// startBenchPeer starts a Go child (this binary), a Node child or a Bun
// child (testdata/bench.js) in role echo or count.
func startBenchPeer(b *testing.B, peer, role string, mode nodeipc.Serialization) *nodeipc.Channel {
	var cmd *exec.Cmd
	if peer == "go" {
		bin, err := os.Executable()
		if err != nil {
			b.Fatal(err)
		}
		cmd = exec.Command(bin, "-test.run=^$")
		cmd.Env = append(os.Environ(), childEnv+"=bench-"+role, noRaceExitSleep)
	} else {
		cmd = exec.Command(jsRuntime(b, peer), "testdata/bench.js")
		cmd.Env = append(os.Environ(), "UVPIPE_BENCH_CHILD="+role)
	}
	cmd.Stderr = os.Stderr
	ch, err := nodeipc.Start(cmd, nodeipc.Options{Serialization: mode})
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
// made per message would be timed too, which the JavaScript side does not
// pay).
func benchContext(b *testing.B) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	b.Cleanup(cancel)
	return ctx
}

func benchRecv(b *testing.B, ctx context.Context, ch *nodeipc.Channel) nodeipc.Message {
	m, err := ch.Recv(ctx)
	if err != nil {
		b.Fatal(err)
	}
	return m
}

// benchPeers are the children a Go parent is timed with in mode; a bun
// child speaks Bun's own advanced mode (the channel sees bun as the
// command).
func benchPeers(mode nodeipc.Serialization) []string {
	return []string{"go", "node", "bun"}
}

// BenchmarkPingPong times round trips of benchMessage between this Go parent
// and a Go, Node or Bun child, beside Node parent ↔ Node child and Bun
// parent ↔ Bun child (in advanced mode each in its own format) timed in
// the same run: node-ns/op and
// node/x, how many times faster this is than Node ↔ Node; bun-ns/op and
// bun/x the same against Bun ↔ Bun.
func BenchmarkPingPong(b *testing.B) {
	for _, mode := range modes {
		for _, peer := range benchPeers(mode) {
			b.Run(string(mode)+"/"+peer+"-child", func(b *testing.B) {
				base := baselines(b, "pingpong", mode)
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
				report(b, base)
			})
		}
	}
}

// BenchmarkBulk times one-way messages from this Go parent to a Go, Node or
// Bun child that counts them, beside Node ↔ Node and Bun ↔ Bun in the
// same run.
func BenchmarkBulk(b *testing.B) {
	for _, mode := range modes {
		for _, peer := range benchPeers(mode) {
			b.Run(string(mode)+"/"+peer+"-child", func(b *testing.B) {
				base := baselines(b, "bulk", mode)
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
				report(b, base)
			})
		}
	}
}

// baselines times the JavaScript runtimes' own parent ↔ child for kind and
// mode, node and bun.
func baselines(b *testing.B, kind string, mode nodeipc.Serialization) map[string]float64 {
	return map[string]float64{
		"node": baselineNs(b, "node", kind, mode),
		"bun":  baselineNs(b, "bun", kind, mode),
	}
}

// report adds each baseline's time per message and the ratio to it (how
// many times faster than the baseline this run is).
func report(b *testing.B, base map[string]float64) {
	ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	for runtime, bns := range base {
		b.ReportMetric(bns, runtime+"-ns/op")
		b.ReportMetric(bns/ns, runtime+"/x")
	}
}
