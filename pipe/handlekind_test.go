//go:build !windows

package pipe_test

import (
	"net"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/pipe"
	"github.com/uvpipe/uvpipe/uv"
)

// Each kind of socket arrives with the kind the kernel gives it,
// listener and connection told apart (SO_ACCEPTCONN), with libuv's type and
// Node's name matching.
func TestReceivedHandleKinds(t *testing.T) {
	a, b, tln := ipcPairAndListener(t)
	tconn, err := net.Dial("tcp", tln.Addr().String())
	require.NoError(t, err)
	defer tconn.Close()
	uln, err := net.Listen("unix", filepath.Join(t.TempDir(), "s"))
	require.NoError(t, err)
	defer uln.Close()
	uconn, err := net.Dial("unix", uln.Addr().String())
	require.NoError(t, err)
	defer uconn.Close()
	udp, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	require.NoError(t, err)
	defer udp.Close()

	cases := []struct {
		h        any
		kind     pipe.HandleKind
		typ      uv.HandleType
		nodeType string
	}{
		{tln, pipe.KindTCPListener, uv.TCPHandle, "net.Server"},
		{tconn, pipe.KindTCPConn, uv.TCPHandle, "net.Socket"},
		{uln, pipe.KindUnixListener, uv.NamedPipe, "net.Server"},
		{uconn, pipe.KindUnixConn, uv.NamedPipe, "net.Socket"},
		{udp, pipe.KindUDP, uv.UDPHandle, "dgram.Socket"},
	}
	for _, c := range cases {
		_, err := a.WriteHandle([]byte("x"), c.h)
		require.NoError(t, err, "%T", c.h)
		buf := make([]byte, 1)
		_, hs, err := b.ReadHandles(buf)
		require.NoError(t, err)
		require.Len(t, hs, 1)
		k := hs[0].Kind()
		require.NoError(t, hs[0].Close())
		require.Equal(t, c.kind, k, "%T", c.h)
		require.Equal(t, c.typ, k.Type(), "%v", k)
		require.Equal(t, c.nodeType, k.NodeType(), "%v", k)
		require.Equal(t, c.kind.IsListener(), c.nodeType == "net.Server")
		require.Equal(t, c.kind.IsConn(), c.nodeType == "net.Socket")
	}
}
