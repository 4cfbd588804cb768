package wire_test

import (
	"io"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/ipc/netipc/wire"
)

// The end of the stream inside a packet is io.ErrUnexpectedEOF; between
// packets it is io.EOF.
func TestSplitterEndInsidePacketIsUnexpectedEOF(t *testing.T) {
	b, err := wire.AppendPacket(nil, wire.Packet{Type: wire.PacketMessage})
	require.NoError(t, err)
	var s wire.Splitter
	var got int
	fn := func(p wire.Packet, err error) {
		require.NoError(t, err)
		got++
	}
	require.NoError(t, s.FeedPackets(append(b, b[:len(b)-1]...), nil, fn))
	require.Equal(t, 1, got)
	require.ErrorIs(t, s.FeedPackets(nil, io.EOF, fn), io.ErrUnexpectedEOF)

	var clean wire.Splitter
	require.NoError(t, clean.FeedPackets(b, nil, fn))
	require.Equal(t, io.EOF, clean.FeedPackets(nil, io.EOF, fn))
}
