package nodeipc

import (
	"encoding/hex"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

// bunStream is what a Bun 1.4.5 parent (Bun.spawn with ipc) wrote for
// send({a: 1}), send(Buffer.from("hi")) and send({b: Buffer.from("xy"), c:
// new Uint8Array([1, 2])}): its version packet, a type-2 message and two
// type-4 envelopes.
const bunStream = "0102000000" +
	"020f0000000e00000002010000806107ffffffff" +
	"04410000000e0000000102000000000000001602000000000000000002000000000000001502000000000000006869010000000101000000000000001302ffffffffffffffff" +
	"046d0000000e000000010200000000000000020100008062160200000000000000000200000000000000150200000000000000787901000080631602000000000000000002000000000000001502000000000000000102ffffffff010000000101000000000000001303ffffffffffffffff"

func bunValuesSent() []any {
	return []any{
		jsvalue.NewObject("a", 1.0),
		[]byte("hi"),
		jsvalue.NewObject("b", []byte("xy"), "c", jsvalue.TypedArray{Kind: jsvalue.KindUint8, Data: []byte{1, 2}}),
	}
}

// TestBunFramesAsBunWritesThem: Go writes Bun's bytes for the same values
// (its version packet first), Buffers in the envelope, a Uint8Array not.
func TestBunFramesAsBunWritesThem(t *testing.T) {
	out := append([]byte(nil), bunVersionBytes[:]...)
	for _, v := range bunValuesSent() {
		var err error
		out, err = encode(out, wireBun, v)
		require.NoError(t, err)
	}
	require.Equal(t, bunStream, hex.EncodeToString(out))
}

// TestBunFramesReadAsSent: Bun's bytes read back as the values, a Buffer
// as []byte and a Uint8Array as a jsvalue.TypedArray.
func TestBunFramesReadAsSent(t *testing.T) {
	data, err := hex.DecodeString(bunStream)
	require.NoError(t, err)
	f := framer{mode: Advanced, wire: wireV8, detect: true, max: 1 << 20}
	switched := wireJSON
	f.switched = func(w wire) { switched = w }
	f.write(data)
	var got []any
	for {
		fr, ok, fatal := f.next()
		require.NoError(t, fatal)
		if !ok {
			break
		}
		require.NoError(t, fr.err)
		got = append(got, fr.value)
	}
	require.Equal(t, wireBun, switched, "the version packet makes the channel Bun's")
	require.Equal(t, bunValuesSent(), got)
	require.Zero(t, f.pending())
}

// TestBunEnvelopeMustBeAPair: a type-4 packet that is not [message,
// [Uint8Array...]] is a bad message, and the stream goes on.
func TestBunEnvelopeMustBeAPair(t *testing.T) {
	f := framer{mode: Advanced, wire: wireBun, max: 1 << 20}
	bad, err := encode(nil, wireBun, []any{"just", "strings", "three"})
	require.NoError(t, err)
	bad[0] = bunMessageBuffers
	good, err := encode(nil, wireBun, "next")
	require.NoError(t, err)
	f.write(append(bad, good...))
	fr, ok, fatal := f.next()
	require.NoError(t, fatal)
	require.True(t, ok)
	require.ErrorContains(t, fr.err, "envelope")
	fr, ok, fatal = f.next()
	require.NoError(t, fatal)
	require.True(t, ok)
	require.Equal(t, "next", fr.value)
}

// TestBunOversizedPacketRefusedAtOnce: a length over the limit ends the
// stream at its header, before its bytes arrive.
func TestBunOversizedPacketRefusedAtOnce(t *testing.T) {
	f := framer{mode: Advanced, wire: wireBun, max: 1000}
	f.write([]byte{bunMessage, 0xe9, 0x03, 0, 0}) // 1001
	_, _, fatal := f.next()
	var fe *BunFrameError
	require.ErrorAs(t, fatal, &fe)
	require.Equal(t, uint32(1001), fe.Length)
	f = framer{mode: Advanced, wire: wireBun, max: 1000}
	f.write([]byte{7, 0, 0, 0, 0})
	_, _, fatal = f.next()
	require.ErrorAs(t, fatal, &fe)
	require.Contains(t, fatal.Error(), "unknown type 7")
}
