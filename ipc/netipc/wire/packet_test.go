package wire_test

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"testing/iotest"

	"github.com/uvpipe/uvpipe/ipc/netipc/wire"
)

// The tags of the reference (§3.4).
var tagVectors = []struct {
	n   int
	hex string
}{
	{0, "80"}, {1, "81"}, {127, "ff"}, {128, "0180"}, {200, "01c8"},
	{16383, "7fff"}, {16384, "010080"}, {1000000, "3d04c0"},
}

func TestPacketTag(t *testing.T) {
	for _, v := range tagVectors {
		got := hex.EncodeToString(wire.AppendPacketTag(nil, v.n))
		if got != v.hex {
			t.Errorf("tag(%d) = %s, want %s", v.n, got, v.hex)
		}
	}
}

// Captured packets of the reference (§3.6).
var capturedPackets = []string{
	"\xa6" + `{"t":0,"d":{"extras":{"token":"abc"}}}`,
	"\xa8" + `{"t":0,"d":{"id":"mwqzhkq11ql33gpu4gj"}}`,
	"\xa1" + `{"t":6,"d":{"m":"bye","a":false}}`,
}

func TestPacketReaderCaptured(t *testing.T) {
	var all bytes.Buffer
	for _, c := range capturedPackets {
		all.WriteString(c)
	}
	pr := wire.NewPacketReader(&all, 0)
	want := []wire.PacketType{wire.PacketConnection, wire.PacketConnection, wire.PacketEnd}
	for i, w := range want {
		p, err := pr.ReadPacket()
		if err != nil || p.Type != w {
			t.Fatalf("packet %d: %+v, %v", i, p, err)
		}
		again, err := wire.AppendPacket(nil, p)
		if err != nil || string(again) != capturedPackets[i] {
			t.Errorf("re-encoded %q, want %q (%v)", again, capturedPackets[i], err)
		}
	}
	if _, err := pr.ReadPacket(); err != io.EOF {
		t.Fatalf("after the last packet: %v, want EOF", err)
	}
}

func TestPacketReaderBadAndOversized(t *testing.T) {
	in := "\x85{bad}" + "\x87{\"t\":1}"
	pr := wire.NewPacketReader(bytes.NewReader([]byte(in)), 0)
	_, err := pr.ReadPacket()
	var pe *wire.PacketError
	if !errors.As(err, &pe) || string(pe.Payload) != "{bad}" {
		t.Fatalf("bad packet: %v", err)
	}
	if p, err := pr.ReadPacket(); err != nil || p.Type != wire.PacketMessage {
		t.Fatalf("after a bad packet the stream is out of sync: %+v %v", p, err)
	}
	// 1e6 bytes announced, limit 1000: refused from the tag alone.
	pr = wire.NewPacketReader(bytes.NewReader([]byte{0x3d, 0x04, 0xc0}), 1000)
	if _, err := pr.ReadPacket(); !errors.Is(err, wire.ErrPacketTooLarge) {
		t.Fatalf("oversized: %v", err)
	}
	pr = wire.NewPacketReader(bytes.NewReader(make([]byte, 20)), 0)
	if _, err := pr.ReadPacket(); !errors.Is(err, wire.ErrPacketTooLarge) {
		t.Fatalf("endless tag: %v", err)
	}
	pr = wire.NewPacketReader(bytes.NewReader([]byte("\x90{\"t\"")), 0)
	if _, err := pr.ReadPacket(); err != io.ErrUnexpectedEOF {
		t.Fatalf("truncated: %v", err)
	}
}

func FuzzPacketReader(f *testing.F) {
	for _, c := range capturedPackets {
		f.Add([]byte(c))
	}
	f.Add([]byte{0x3d, 0x04, 0xc0})
	f.Add([]byte("\x85{bad}\x87{\"t\":1}"))
	f.Fuzz(func(t *testing.T, b []byte) {
		pr := wire.NewPacketReader(bytes.NewReader(b), 1<<16)
		for i := 0; i < 1000; i++ {
			p, err := pr.ReadPacket()
			var pe *wire.PacketError
			if errors.As(err, &pe) {
				continue
			}
			if err != nil {
				return
			}
			enc, err := wire.AppendPacket(nil, p)
			if err != nil {
				t.Fatalf("re-encoding %+v: %v", p, err)
			}
			q, err := wire.NewPacketReader(bytes.NewReader(enc), 0).ReadPacket()
			if err != nil || q.Type != p.Type || q.Nonce != p.Nonce {
				t.Fatalf("round trip %+v -> %+v, %v", p, q, err)
			}
		}
	})
}

// Packets are written as JSON.stringify writes them: compact, no HTML
// escapes, any nonce quoted.
func TestAppendPacketAsJSONStringify(t *testing.T) {
	got, err := wire.AppendPacket(nil, wire.Packet{Type: wire.PacketRequest, Data: json.RawMessage(`{ "x": "<&>" }`), Nonce: `a "b"`})
	want := `{"t":2,"d":{"x":"<&>"},"n":"a \"b\""}`
	if err != nil || string(got[1:]) != want || got[0] != byte(0x80|len(want)) {
		t.Fatalf("%q %v, want %q", got, err, want)
	}
	if _, err := wire.AppendPacket(nil, wire.Packet{Data: json.RawMessage(`{bad`)}); err == nil {
		t.Fatal("bad data encoded")
	}
}

// stallingReader gives its bytes, then blocks until release is closed, then
// ends the stream.
type stallingReader struct {
	b       []byte
	release chan struct{}
}

func (r *stallingReader) Read(p []byte) (int, error) {
	if len(r.b) > 0 {
		n := copy(p, r.b)
		r.b = r.b[n:]
		return n, nil
	}
	<-r.release
	return 0, io.EOF
}

// A packet's buffer grows as its bytes arrive: readers each holding the tag
// of a packet at the size limit and a few bytes of it, and waiting for the
// rest, hold kilobytes each, not the announced 16 MiB.
func TestPacketReaderGrowsAsBytesArrive(t *testing.T) {
	const readers = 200
	release := make(chan struct{})
	var started, done sync.WaitGroup
	var before, during runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var partials atomic.Int32
	for range readers {
		msg := append(wire.AppendPacketTag(nil, wire.DefaultMaxPacketSize), `{"t":1,"d":"`...)
		pr := wire.NewPacketReader(&stallingReader{b: msg, release: release}, 0)
		pr.OnPartial = func(partial bool) {
			if partial {
				partials.Add(1)
				started.Done()
			}
		}
		started.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			if _, err := pr.ReadPacket(); err != io.ErrUnexpectedEOF {
				t.Errorf("a stream ending inside a packet: %v, want io.ErrUnexpectedEOF", err)
			}
		}()
	}
	started.Wait()
	runtime.ReadMemStats(&during)
	close(release)
	done.Wait()
	if partials.Load() != readers {
		t.Errorf("OnPartial(true) called %d times, want %d", partials.Load(), readers)
	}
	if grew := int64(during.HeapAlloc) - int64(before.HeapAlloc); grew > 32<<20 {
		t.Errorf("%d readers waiting inside a 16 MiB packet hold %d MiB of heap, want under 32 MiB", readers, grew>>20)
	}
}

// A payload that arrives in pieces of every size is read whole.
func TestPacketReaderLargePayloadInPieces(t *testing.T) {
	big := bytes.Repeat([]byte("x"), 300<<10)
	msg, err := wire.AppendPacket(nil, wire.Packet{Type: wire.PacketMessage, Data: json.RawMessage(`"` + string(big) + `"`)})
	if err != nil {
		t.Fatal(err)
	}
	pr := wire.NewPacketReader(iotest.OneByteReader(bytes.NewReader(msg)), 0)
	p, err := pr.ReadPacket()
	if err != nil || len(p.Data) != len(big)+2 {
		t.Fatalf("read %d bytes of data, %v; want %d", len(p.Data), err, len(big)+2)
	}
}
