package nodejson

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

// benchMessage is a typical message of about 1 KiB.
func benchMessage() *jsvalue.Object {
	items := make([]any, 6)
	for i := range items {
		items[i] = jsvalue.NewObject("id", float64(1000+i), "name", "item-"+strconv.Itoa(i), "price", 12.5*float64(i+1),
			"qty", float64(i*3), "tags", []any{"red", "large"}, "active", i%2 == 0)
	}
	return jsvalue.NewObject(
		"type", "update", "id", 123456789.0, "ts", 1700000000123.0, "ok", true, "parent", nil,
		"user", jsvalue.NewObject("name", "Zoë Example", "email", "zoe@example.com", "roles", []any{"admin", "dev"}, "score", 0.875),
		"items", items,
		"text", "Line one\nLine two \"quoted\" — with a dash and é, ü, 中文 and 😀.",
		"meta", jsvalue.NewObject("version", "1.2.3", "retries", 3.0, "ratio", 0.30000000000000004, "flags", []any{1.0, 2.0, 3.0, 5.0, 8.0}),
	)
}

func benchBuffer() []byte {
	b := make([]byte, 1<<20)
	for i := range b {
		b[i] = byte(i * 7)
	}
	return b
}

var (
	nodeRatesMu sync.Mutex
	nodeRates   = map[string]float64{}
)

// nodeRate runs testdata/bench.js once per operation and returns Node's
// messages per second, or 0 if node is not available.
func nodeRate(b *testing.B, op, kind string, value any) float64 {
	key := op + "/" + kind
	nodeRatesMu.Lock()
	defer nodeRatesMu.Unlock()
	if r, ok := nodeRates[key]; ok {
		return r
	}
	node, err := exec.LookPath("node")
	if err != nil {
		b.Logf("node not on PATH: no Node baseline")
		return 0
	}
	file := filepath.Join(b.TempDir(), "value.json")
	data, err := Marshal(value)
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(file, data, 0o600); err != nil {
		b.Fatal(err)
	}
	out, err := exec.Command(node, "testdata/bench.js", op, kind, file).Output()
	if err != nil {
		b.Fatalf("node bench: %v", err)
	}
	r, err := strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
	if err != nil {
		b.Fatal(err)
	}
	nodeRates[key] = r
	return r
}

// report adds messages/second, Node's rate and the ratio to a benchmark.
func report(b *testing.B, start time.Time, op, kind string, value any) {
	b.StopTimer()
	rate := float64(b.N) / time.Since(start).Seconds()
	b.ReportMetric(rate, "msgs/s")
	if nr := nodeRate(b, op, kind, value); nr > 0 {
		b.ReportMetric(nr, "node-msgs/s")
		b.ReportMetric(rate/nr, "go/node")
	}
}

func benchEncode(b *testing.B, kind string, v any) {
	buf, err := AppendMarshal(nil, v)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		buf, err = AppendMarshal(buf[:0], v)
		if err != nil {
			b.Fatal(err)
		}
	}
	report(b, start, "encode", kind, v)
}

func benchDecode(b *testing.B, kind string, v any) {
	data, err := Marshal(v)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		if _, err := Decode(data); err != nil {
			b.Fatal(err)
		}
	}
	report(b, start, "decode", kind, v)
}

func BenchmarkEncodeMessage(b *testing.B)    { benchEncode(b, "message", benchMessage()) }
func BenchmarkDecodeMessage(b *testing.B)    { benchDecode(b, "message", benchMessage()) }
func BenchmarkEncodeBuffer1MiB(b *testing.B) { benchEncode(b, "buffer", benchBuffer()) }
func BenchmarkDecodeBuffer1MiB(b *testing.B) { benchDecode(b, "buffer", benchBuffer()) }
