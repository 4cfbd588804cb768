package nodeipc

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

// The framers' fuzz tests. The default test run (go test) runs only the
// seeds below; run the fuzzer itself, one target at a time, with
//
//	go test -run '^$' -fuzz '^FuzzJSONFramer$' -fuzztime 5m ./ipc/
//	go test -run '^$' -fuzz '^FuzzAdvancedFramer$' -fuzztime 5m ./ipc/
//
// Each feeds arbitrary bytes to the framer in two pieces split at an
// arbitrary place and checks: no panic; the messages, errors and stream
// offsets are the same as when the bytes come in one piece (a split read
// never changes what is received); offsets only grow; the bytes held stay
// bounded by the size limit and the last piece.

// fuzzMax is the size limit of the fuzzed framers, small so that the
// limits are reached.
const fuzzMax = 64

// frameOutcome is what a framer made of a stream, comparably.
type frameOutcome struct {
	frames []string
	fatal  string
}

// runFramer feeds pieces to a fresh framer and collects what it returns.
func runFramer(t *testing.T, w wire, pieces ...[]byte) frameOutcome {
	f := framer{mode: Advanced, wire: w, detect: true, max: fuzzMax}
	if w == wireJSON {
		f = framer{mode: JSON, max: fuzzMax}
	}
	var out frameOutcome
	last := int64(-1)
	for _, p := range pieces {
		f.write(p)
		for {
			fr, ok, fatal := f.next()
			if fatal != nil {
				out.fatal = fatal.Error()
				return out
			}
			if !ok {
				break
			}
			require.Greater(t, fr.start, last, "message offsets must grow")
			last = fr.start
			s := fmt.Sprintf("@%d bun=%v ", fr.start, fr.bun)
			if fr.err != nil {
				s += "error"
			} else if b, err := encode(nil, f.wire, fr.value); err != nil {
				s += "unencodable: " + err.Error()
			} else {
				s += fmt.Sprintf("%q", b) // encoded again: comparable, NaN included
			}
			out.frames = append(out.frames, s)
		}
		// What is held is at most one message beyond the limit's check
		// (its length prefix or line) and the piece just written.
		require.LessOrEqual(t, len(f.buf), fuzzMax+bunHeaderLen+len(p), "bytes held")
	}
	return out
}

func fuzzFramer(f *testing.F, w wire) {
	f.Fuzz(func(t *testing.T, data []byte, cut uint) {
		whole := runFramer(t, w, data)
		at := int(cut % uint(len(data)+1))
		split := runFramer(t, w, data[:at:at], data[at:])
		require.Equal(t, whole, split, "cut at %d", at)
	})
}

func FuzzJSONFramer(f *testing.F) {
	seeds := []string{
		"{\"n\":1,\"s\":\"ping\"}\n",
		"\"a\"\n\"b\"\n",
		"{oops\n\"after\"\n",
		"\n\n",
		"\x02{\"cmd\":\"NODE_CLUSTER\"}\n\"x\"\n",
		"\"\xe2\x82\xac\"\n",
		"\"" + string(make([]byte, 100)) + "\"\n\"next\"\n",
		"[1,2,3",
		"{\"cmd\":\"NODE_HANDLE\",\"type\":\"net.Socket\",\"msg\":{}}\n",
	}
	for i, s := range seeds {
		f.Add([]byte(s), uint(i*3))
	}
	fuzzFramer(f, wireJSON)
}

func FuzzAdvancedFramer(f *testing.F) {
	var valid []byte
	for _, v := range []any{"ping", 1.5, jsvalue.NewObject("n", 1, "s", "ping"), []byte{1, 2, 3}} {
		var err error
		valid, err = encode(valid, wireV8, v)
		require.NoError(f, err)
	}
	seeds := [][]byte{
		valid,
		{1, 2, 0, 0, 0, 0x0d, 0, 0, 0}, // Bun's version packet
		{0xff, 0xff, 0xff, 0xff, 0xff}, // a length far too large
		{0, 0, 0, 0, 0xff},             // a zero length
		{0, 0, 0, 2, 0x22, 0x01},       // not a V8 payload
		{0, 0, 0, 3, 0xff, 0x0f, 0x00}, // a payload that does not decode
		valid[:7],
	}
	for i, s := range seeds {
		f.Add(s, uint(i*2+1))
	}
	fuzzFramer(f, wireV8)
}

// FuzzBunFramer feeds Bun's advanced framing to a framer that detects the
// peer (a V8 frame first switches it to V8).
func FuzzBunFramer(f *testing.F) {
	valid := append([]byte(nil), bunVersionBytes[:]...)
	for _, v := range []any{"ping", 1.5, jsvalue.NewObject("n", 1, "s", "ping"), []byte{1, 2, 3},
		jsvalue.NewObject("b", []byte("xy"), "u", jsvalue.TypedArray{Kind: jsvalue.KindUint8, Data: []byte{1}})} {
		var err error
		valid, err = encode(valid, wireBun, v)
		require.NoError(f, err)
	}
	seeds := [][]byte{
		valid,
		valid[5:],                       // no version packet
		{1, 3, 0, 0, 0},                 // a version this package does not know
		{1, 1, 0, 0, 0, 2, 0, 0, 0, 0},  // version 1, then an empty message
		{9, 0, 0, 0, 0},                 // an unknown packet type
		{2, 0xff, 0xff, 0xff, 0xff},     // a length far too large
		{4, 5, 0, 0, 0, 14, 0, 0, 0, 9}, // an envelope that does not decode
		{0, 0, 0, 3, 0xff, 0x0f, 0x00},  // a V8 frame
		valid[:12],
	}
	for i, s := range seeds {
		f.Add(s, uint(i*2+1))
	}
	fuzzFramer(f, wireBun)
}
