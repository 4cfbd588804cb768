package jsc

import (
	"bufio"
	"encoding/hex"
	"io"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/internal/interop"
)

// bunPeer is testdata/peer.js running under the pinned bun.
type bunPeer struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Reader
}

func startBun(tb testing.TB) *bunPeer {
	tb.Helper()
	cmd := exec.Command(interop.Bun(tb), "peer.js")
	cmd.Dir = "testdata"
	var stderr strings.Builder
	cmd.Stderr = &stderr
	in, err := cmd.StdinPipe()
	require.NoError(tb, err)
	out, err := cmd.StdoutPipe()
	require.NoError(tb, err)
	require.NoError(tb, cmd.Start())
	p := &bunPeer{cmd: cmd, in: in, out: bufio.NewReaderSize(out, 1<<20)}
	tb.Cleanup(func() {
		p.in.Close()
		err := p.cmd.Wait()
		assert.NoError(tb, err, "bun peer: %s", stderr.String())
	})
	return p
}

// ask sends one request line and returns the answer line.
func (p *bunPeer) ask(tb testing.TB, fields ...string) string {
	tb.Helper()
	_, err := io.WriteString(p.in, strings.Join(fields, "\t")+"\n")
	require.NoError(tb, err)
	line, err := p.out.ReadString('\n')
	require.NoError(tb, err)
	return strings.TrimSuffix(line, "\n")
}

// serialize returns Bun's bytes for the value of expr.
func (p *bunPeer) serialize(tb testing.TB, expr string) []byte {
	tb.Helper()
	ans := p.ask(tb, "S", expr)
	require.False(tb, strings.HasPrefix(ans, "E\t"), "%s: bun: %s", expr, ans)
	b, err := hex.DecodeString(ans)
	require.NoError(tb, err, expr)
	return b
}

// bunDiffers lists vectors whose decoded model, encoded by Go, gives Bun a
// value that differs from the original where the model has no say.
var bunDiffers = map[string]bool{
	`(()=>{const b=new ArrayBuffer(8);return [new Uint8Array(b,2,2),new DataView(b)]})()`: true, // two buffers
	`new Uint8Array(new ArrayBuffer(8),2,4)`:                                              true, // its own 4-byte buffer
	`(()=>{const d=new Date(0),r=/x/g,o={};return [d,r,o,d,r,o]})()`:                      true, // two Dates, two RegExps
	`(()=>{const n=new Number(1);return [n,n]})()`:                                        true, // two Number objects
	// Two views over the same bytes are one value in the model: one view.
	`(()=>{const b=new ArrayBuffer(16);return [new Uint8Array(b,4,4),new Uint8Array(b,4,4)]})()`: true,
}

// TestBunInterop runs the vectors' expressions, and some too large for the
// vectors file, through the real Bun: Bun serializes each (the bytes must
// still be the committed vector's), Go decodes them (to the expected model
// where the table has one) and encodes the model again (to Bun's very bytes,
// unless the vector is decode-only), and Bun deserializes Go's bytes to a
// value it cannot tell from what it gets from its own bytes.
func TestBunInterop(t *testing.T) {
	p := startBun(t)
	vs := loadVectors(t)
	for _, e := range []string{
		`Array.from({length:70000},(_,i)=>"s"+i).concat(["s0","s69999"])`,
		`(()=>{const os=Array.from({length:70000},(_,i)=>({i}));return [os,os[0],os[69999]]})()`,
		`(()=>{const b=new ArrayBuffer(16);const o=Array.from({length:300},()=>({}));return [o,new Uint8Array(b,4,4),new Float64Array(b,8,1),b]})()`,
		`(()=>{const b=new ArrayBuffer(16);return [new Uint8Array(b,4,4),new Uint8Array(b,4,4)]})()`,
	} {
		vs = append(vs, vector{expr: e})
	}
	for _, v := range vs {
		bunBytes := p.serialize(t, v.expr)
		if v.data != nil {
			assert.Equal(t, hex.EncodeToString(v.data), hex.EncodeToString(bunBytes), "%s: Bun's bytes differ from the committed vector", v.expr)
		}
		got, err := Decode(bunBytes)
		require.NoError(t, err, v.expr)
		if want, ok := vectorModels[v.expr]; ok {
			assert.Equal(t, want, got, v.expr)
		}
		goBytes, err := Marshal(got)
		require.NoError(t, err, v.expr)
		if _, ok := decodeOnly[v.expr]; !ok {
			assert.True(t, hex.EncodeToString(bunBytes) == hex.EncodeToString(goBytes), "%s: Go's bytes differ from Bun's", v.expr)
		}
		if bunDiffers[v.expr] {
			continue
		}
		if ans := p.ask(t, "D", v.expr, hex.EncodeToString(goBytes)); ans != "ok" {
			if len(ans) > 2000 {
				ans = ans[:2000] + "..."
			}
			t.Errorf("%s: Bun tells Go's bytes apart from its own:\n%s", v.expr, ans)
		}
	}
}
