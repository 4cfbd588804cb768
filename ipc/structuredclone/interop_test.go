package structuredclone

import (
	"bytes"
	"encoding/hex"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// interopValues is how many generated values each interop test round-trips.
const interopValues = 3000

// seed returns the generator seed: UVPIPE_SC_SEED, else the time.
func seed(t *testing.T) int64 {
	s := time.Now().UnixNano()
	if env := os.Getenv("UVPIPE_SC_SEED"); env != "" {
		var err error
		s, err = strconv.ParseInt(env, 10, 64)
		require.NoError(t, err, "UVPIPE_SC_SEED")
	}
	t.Logf("generator seed %d (set UVPIPE_SC_SEED=%d to repeat)", s, s)
	return s
}

// TestBareInterop round-trips generated values through the real
// bare-structured-clone 1.6.0 under the pinned bare runtime: bare's bytes for
// the value equal Go's; Go decodes bare's bytes to the value and re-encodes
// them identically; bare decodes Go's bytes and re-encodes them identically
// (up to 1.x's decoding quirks: causes dropped, URIError read as Error).
func TestBareInterop(t *testing.T) {
	peer := startBare(t)
	s := seed(t)
	g := newGen(s)
	for i := range interopValues {
		v, src := g.generate()
		fail := func(format string, args ...any) {
			t.Helper()
			t.Fatalf("value %d (seed %d): "+format+"\nsource:\n%s", append([]any{i, s}, append(args, src)...)...)
		}
		goBytes, err := Marshal(v)
		if err != nil {
			fail("Marshal: %v", err)
		}
		fromSource, reencoded, err := peer.roundTrip(src, goBytes)
		if err != nil {
			fail("bare: %v", err)
		}
		if !bytes.Equal(goBytes, fromSource) {
			fail("bare's bytes differ from Go's\nbare %x\ngo   %x", fromSource, goBytes)
		}
		dec, err := Decode(fromSource)
		if err != nil {
			fail("Decode(bare's bytes): %v", err)
		}
		if !sameModel(v, dec) {
			fail("decoded %#v, want %#v", dec, v)
		}
		again, err := Marshal(dec)
		if err != nil {
			fail("Marshal(decoded): %v", err)
		}
		if !bytes.Equal(again, fromSource) {
			fail("re-encoding the decoded value differs\nbare %x\ngo   %x", fromSource, again)
		}
		want := goBytes
		if g.quirky {
			applyV0Quirks(v, map[any]bool{})
			if want, err = Marshal(v); err != nil {
				fail("Marshal(after quirks): %v", err)
			}
		}
		if reencoded != hex.EncodeToString(want) {
			fail("bare decoded Go's bytes and re-encoded them differently\nbare %s\nwant %x", reencoded, want)
		}
	}
}

// TestGeneratedRoundTrip round-trips generated values through Go alone, in
// both versions: decode(encode(v)) is v and encodes to the same bytes.
func TestGeneratedRoundTrip(t *testing.T) {
	s := seed(t)
	g := newGen(s)
	for i := range interopValues {
		v, src := g.generate()
		for _, version := range []Version{Version0, Version1} {
			for _, plain := range []bool{false, true} {
				e := Encoder{Version: version, Plain: plain}
				b, err := e.Marshal(v)
				require.NoError(t, err, "value %d (seed %d) %s\n%s", i, s, version, src)
				dec, err := Decode(b)
				require.NoError(t, err, "value %d (seed %d) %s %x\n%s", i, s, version, b, src)
				require.True(t, sameModel(v, dec), "value %d (seed %d) %s: decoded %#v\n%s", i, s, version, dec, src)
				again, err := e.Marshal(dec)
				require.NoError(t, err)
				require.Equal(t, hex.EncodeToString(b), hex.EncodeToString(again), "value %d (seed %d) %s\n%s", i, s, version, src)
			}
		}
	}
}
