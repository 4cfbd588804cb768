package structuredclone

import (
	"os"
	"testing"
	"time"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

// typicalMessage is a ~1 KiB message object of the kind an application sends
// over a channel.
func typicalMessage() any {
	var items []any
	for i := range 8 {
		items = append(items, jsvalue.NewObject(
			"id", float64(1000+i),
			"name", "item number "+string(rune('A'+i)),
			"price", 9.99+float64(i),
			"tags", []any{"red", "large"},
			"inStock", i%2 == 0,
		))
	}
	return jsvalue.NewObject(
		"type", "order.updated",
		"id", "7f0c1e8a-53b2-4c8e-9a57-1c2d3e4f5a6b",
		"seq", 48213.0,
		"at", time.UnixMilli(1717171717171).UTC(),
		"from", jsvalue.NewObject("user", "alice", "session", 123456789.0, "roles", []any{"admin", "ops"}),
		"items", items,
		"note", "Please deliver between 9 and 5; ring twice. Fragile contents, keep upright.",
		"total", 1234.56,
		"ok", true,
		"meta", jsvalue.NewObject("retries", 0.0, "source", "web", "trace", nil),
	)
}

func megabyteBuffer() any {
	b := make([]byte, 1<<20)
	for i := range b {
		b[i] = byte(i * 7)
	}
	return b
}

// bareRate measures, in the same run, bare-structured-clone 1.6.0 under bare
// serializing (encode) or deserializing (decode) the value data encodes, in
// messages per second; 0 when the interop peers are skipped.
func bareRate(b *testing.B, data []byte, rounds int, encode bool) float64 {
	if os.Getenv("UVPIPE_SKIP_INTEROP") == "1" {
		return 0
	}
	peer := startBare(b)
	serNs, deNs, err := peer.timing(rounds, data)
	if err != nil {
		b.Fatal(err)
	}
	peer.close()
	if encode {
		return 1e9 / serNs
	}
	return 1e9 / deNs
}

func report(b *testing.B, bare float64) {
	rate := float64(b.N) / b.Elapsed().Seconds()
	b.ReportMetric(rate, "msgs/s")
	if bare > 0 {
		b.ReportMetric(bare, "bare-msgs/s")
		b.ReportMetric(rate/bare, "go/bare")
	}
}

func benchEncode(b *testing.B, v any, rounds int) {
	data, err := Marshal(v)
	if err != nil {
		b.Fatal(err)
	}
	bare := bareRate(b, data, rounds, true)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Marshal(v); err != nil {
			b.Fatal(err)
		}
	}
	report(b, bare)
}

func benchDecode(b *testing.B, v any, rounds int) {
	data, err := Marshal(v)
	if err != nil {
		b.Fatal(err)
	}
	bare := bareRate(b, data, rounds, false)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(data); err != nil {
			b.Fatal(err)
		}
	}
	report(b, bare)
}

func BenchmarkEncodeMessage(b *testing.B) { benchEncode(b, typicalMessage(), 20000) }
func BenchmarkDecodeMessage(b *testing.B) { benchDecode(b, typicalMessage(), 20000) }
func BenchmarkEncodeBuffer(b *testing.B)  { benchEncode(b, megabyteBuffer(), 300) }
func BenchmarkDecodeBuffer(b *testing.B)  { benchDecode(b, megabyteBuffer(), 300) }

// BenchmarkAppendBuffer encodes the 1 MiB Buffer into a reused buffer with
// Encoder.Append: the codec's own cost, without a fresh 1 MiB allocation
// (and the garbage collection it brings) per message.
func BenchmarkAppendBuffer(b *testing.B) {
	v := megabyteBuffer()
	data, err := Marshal(v)
	if err != nil {
		b.Fatal(err)
	}
	bare := bareRate(b, data, 300, true)
	var e Encoder
	buf := make([]byte, 0, len(data))
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if buf, err = e.Append(buf[:0], v); err != nil {
			b.Fatal(err)
		}
	}
	report(b, bare)
}
