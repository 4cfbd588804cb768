package jsc

import (
	"encoding/hex"
	"encoding/json"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uvpipe/uvpipe/internal/interop"
	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

// benchMessage is a typical ~1 KiB message object (the one ipc/v8's
// benchmarks use).
func benchMessage() *jsvalue.Object {
	items := make([]any, 12)
	for i := range items {
		items[i] = jsvalue.NewObject("id", float64(1000+i), "name", "item-"+strings.Repeat("x", i), "price", 9.99+float64(i), "tags", []any{"a", "b"}, "ok", i%2 == 0)
	}
	return jsvalue.NewObject(
		"cmd", "update", "seq", 123456.0, "time", time.UnixMilli(1700000000000).UTC(),
		"user", jsvalue.NewObject("name", "Zoë", "email", "zoe@example.com", "roles", []any{"admin", "dev"}),
		"items", items, "note", "naïve café", "total", 1234.5, "done", false, "extra", nil,
	)
}

// benchValues are the values measured, in the order bench.js reports them.
func benchValues() []any { return []any{benchMessage(), make([]byte, 1<<20)} }

// bunTime is one line of bench.js: wall and CPU nanoseconds per round.
type bunTime struct {
	Ns    float64
	CPUNs float64 `json:"cpuNs"`
}

var (
	bunTimesOnce sync.Once
	bunTimes     []bunTime
	bunTimesErr  error
)

// bunNs returns bun:jsc's nanoseconds (wall and CPU) per
// serialize+deserialize of value i, measured once per test binary by
// testdata/bench.js under the pinned bun.
func bunNs(b *testing.B, i int) (wall, cpu float64) {
	bun := interop.Bun(b)
	bunTimesOnce.Do(func() {
		var in strings.Builder
		for _, v := range benchValues() {
			p, err := Marshal(v)
			if err != nil {
				bunTimesErr = err
				return
			}
			in.WriteString(hex.EncodeToString(p) + "\n")
		}
		cmd := exec.Command(bun, "testdata/bench.js")
		cmd.Stdin = strings.NewReader(in.String())
		out, err := cmd.Output()
		if err != nil {
			bunTimesErr = err
			return
		}
		for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			var r bunTime
			if bunTimesErr = json.Unmarshal([]byte(line), &r); bunTimesErr != nil {
				return
			}
			bunTimes = append(bunTimes, r)
		}
	})
	if bunTimesErr != nil || i >= len(bunTimes) {
		b.Fatalf("no bun measurement: %v", bunTimesErr)
	}
	return bunTimes[i].Ns, bunTimes[i].CPUNs
}

// BenchmarkEncodeDecodeMessage times Marshal then Decode of a typical
// message, beside bun:jsc's serialize then deserialize of the same value in
// the same run: bun-ns/op, and bun/x, how many times faster Go is; and the
// same in CPU time of each process (cpu-ns/op, bun-cpu-ns/op, bun-cpu/x),
// which other processes taking the CPUs do not inflate.
func BenchmarkEncodeDecodeMessage(b *testing.B) { benchRound(b, 0) }

// BenchmarkEncodeDecodeBuffer1MiB is BenchmarkEncodeDecodeMessage for a
// 1 MiB Buffer (a Uint8Array in JavaScriptCore's format).
func BenchmarkEncodeDecodeBuffer1MiB(b *testing.B) { benchRound(b, 1) }

func benchRound(b *testing.B, i int) {
	v := benchValues()[i]
	bun, bunCPU := bunNs(b, i)
	var e Encoder
	var d Decoder
	buf, err := e.Append(nil, v)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuNow(b)
	for range b.N {
		if buf, err = e.Append(buf[:0], v); err != nil {
			b.Fatal(err)
		}
		if _, err := d.Decode(buf); err != nil {
			b.Fatal(err)
		}
	}
	cpu := float64(cpuNow(b)-cpu0) / float64(b.N)
	b.StopTimer()
	ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	b.ReportMetric(bun, "bun-ns/op")
	b.ReportMetric(bun/ns, "bun/x")
	b.ReportMetric(cpu, "cpu-ns/op")
	b.ReportMetric(bunCPU, "bun-cpu-ns/op")
	b.ReportMetric(bunCPU/cpu, "bun-cpu/x")
}
