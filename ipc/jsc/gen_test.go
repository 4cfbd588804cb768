package jsc

import (
	"encoding/hex"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/ipc/internal/jsgen"
)

// genSeed returns the generator's seed: UVPIPE_JSC_SEED, or the time.
func genSeed(t *testing.T) int64 {
	s := time.Now().UnixNano()
	if env := os.Getenv("UVPIPE_JSC_SEED"); env != "" {
		var err error
		s, err = strconv.ParseInt(env, 10, 64)
		require.NoError(t, err, "UVPIPE_JSC_SEED")
	}
	t.Logf("generator seed %d (set UVPIPE_JSC_SEED=%d to repeat)", s, s)
	return s
}

const genValues = 2000

// TestGeneratedRoundTrip: generated values encode, decode, and encode again
// to the same bytes, in Go alone.
func TestGeneratedRoundTrip(t *testing.T) {
	s := genSeed(t)
	g := jsgen.New(s)
	for i := range genValues {
		v := g.Generate()
		b, err := Marshal(v)
		require.NoError(t, err, "value %d (seed %d): %#v", i, s, v)
		dec, err := Decode(b)
		require.NoError(t, err, "value %d (seed %d): % x", i, s, b)
		again, err := Marshal(dec)
		require.NoError(t, err, "value %d (seed %d)", i, s)
		require.Equal(t, hex.EncodeToString(b), hex.EncodeToString(again), "value %d (seed %d): %#v", i, s, v)
	}
}

// TestBunGenerated: Bun deserializes Go's bytes for generated values and
// serializes what it got to the very same bytes, which Go decodes and
// encodes to the same bytes again.
func TestBunGenerated(t *testing.T) {
	p := startBun(t)
	s := genSeed(t)
	g := jsgen.New(s)
	for i := range genValues {
		v := g.Generate()
		b, err := Marshal(v)
		require.NoError(t, err, "value %d (seed %d): %#v", i, s, v)
		ans := p.ask(t, "R", hex.EncodeToString(b))
		if want := hex.EncodeToString(b); ans != want {
			if strings.HasPrefix(ans, "E\t") {
				t.Fatalf("value %d (seed %d): Bun cannot read Go's bytes (%s): %#v\n%s", i, s, ans, v, want)
			}
			t.Fatalf("value %d (seed %d): Bun re-serialized Go's bytes differently: %#v\n%s\ngo  %.4000s\nbun %.4000s", i, s, v, firstDiff(want, ans), want, ans)
		}
	}
}

// firstDiff shows where two hex strings part, with some context.
func firstDiff(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	lo := max(0, i-40)
	return "at byte " + strconv.Itoa(i/2) + ":\n go  ..." + a[lo:min(len(a), i+60)] + "\n bun ..." + b[lo:min(len(b), i+60)]
}
