package v8

import (
	"encoding/hex"
	"encoding/json"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

// message is a typical ~1 KiB message object.
func message() *jsvalue.Object {
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

var (
	nodeRatesOnce sync.Once
	nodeRates     []struct{ Encode, Decode float64 }
	nodeRatesErr  error
)

// benchValues are the values measured, in the order bench.js reports them.
func benchValues() []any {
	return []any{message(), make([]byte, 1<<20)}
}

// nodeRate returns Node's messages per second for value i (encode or decode),
// measured once per test binary by testdata/bench.js.
func nodeRate(b *testing.B, i int, decode bool) float64 {
	nodeRatesOnce.Do(func() {
		node, err := exec.LookPath("node")
		if err != nil {
			nodeRatesErr = err
			return
		}
		var in strings.Builder
		for _, v := range benchValues() {
			p, err := Marshal(v)
			if err != nil {
				nodeRatesErr = err
				return
			}
			in.WriteString(hex.EncodeToString(p) + "\n")
		}
		cmd := exec.Command(node, "testdata/bench.js")
		cmd.Stdin = strings.NewReader(in.String())
		out, err := cmd.Output()
		if err != nil {
			nodeRatesErr = err
			return
		}
		for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			var r struct{ Encode, Decode float64 }
			if nodeRatesErr = json.Unmarshal([]byte(line), &r); nodeRatesErr != nil {
				return
			}
			nodeRates = append(nodeRates, r)
		}
	})
	if nodeRatesErr != nil || i >= len(nodeRates) {
		b.Logf("no node measurement: %v", nodeRatesErr)
		return 0
	}
	if decode {
		return nodeRates[i].Decode
	}
	return nodeRates[i].Encode
}

func report(b *testing.B, start time.Time, node float64) {
	rate := float64(b.N) / time.Since(start).Seconds()
	b.ReportMetric(rate, "msgs/s")
	if node > 0 {
		b.ReportMetric(node, "node-msgs/s")
		b.ReportMetric(rate/node, "go/node")
	}
}

func benchEncode(b *testing.B, i int) {
	v := benchValues()[i]
	node := nodeRate(b, i, false)
	buf, _ := Append(nil, v)
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		var err error
		if buf, err = Append(buf[:0], v); err != nil {
			b.Fatal(err)
		}
	}
	report(b, start, node)
}

func benchDecode(b *testing.B, i int, opts DecodeOptions) {
	data, _ := Marshal(benchValues()[i])
	node := nodeRate(b, i, true)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		if _, err := opts.Decode(data); err != nil {
			b.Fatal(err)
		}
	}
	report(b, start, node)
}

func BenchmarkEncodeMessage(b *testing.B)    { benchEncode(b, 0) }
func BenchmarkDecodeMessage(b *testing.B)    { benchDecode(b, 0, DecodeOptions{}) }
func BenchmarkEncodeBuffer1MiB(b *testing.B) { benchEncode(b, 1) }

// BenchmarkDecodeBuffer1MiB decodes with AliasInput, as the stream Decoder
// decodes a large message. Node's deserializer returns the Buffer as a view
// into the message, without copying it, so this is the like-for-like
// comparison with Node's rate.
func BenchmarkDecodeBuffer1MiB(b *testing.B) { benchDecode(b, 1, DecodeOptions{AliasInput: true}) }

// BenchmarkDecodeBuffer1MiBCopy is the copying decode (Decode), for the
// record: it copies the 1 MiB that Node does not, beside the same Node rate.
func BenchmarkDecodeBuffer1MiBCopy(b *testing.B) { benchDecode(b, 1, DecodeOptions{}) }
