package pipe

import (
	"os"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/uv"
)

// An fd that is not a socket is a KindFile; no fd (-1) is EBADF.
func TestKindOfFDNotASocket(t *testing.T) {
	f, err := os.Open(os.DevNull)
	require.NoError(t, err)
	defer f.Close()
	k, err := KindOf(int(f.Fd()))
	require.NoError(t, err)
	require.Equal(t, KindFile, k)
	require.Equal(t, uv.FileHandle, k.Type())
	require.Equal(t, "", k.NodeType())
	k, err = KindOf(-1)
	require.ErrorIs(t, err, syscall.EBADF)
	require.Equal(t, KindUnknown, k)
}

// socketFacts.kind names every combination the kernel can report, and asks
// whether a socket listens only of a stream socket.
func TestSocketFactsKind(t *testing.T) {
	for _, c := range []struct {
		f         socketFacts
		listening bool
		want      HandleKind
	}{
		{socketFacts{stream: true, inet: true}, true, KindTCPListener},
		{socketFacts{stream: true, inet: true}, false, KindTCPConn},
		{socketFacts{stream: true, unix: true}, true, KindUnixListener},
		{socketFacts{stream: true, unix: true}, false, KindUnixConn},
		{socketFacts{datagram: true, inet: true}, false, KindUDP},
		{socketFacts{datagram: true, unix: true}, false, KindUnknown},
		{socketFacts{stream: true}, true, KindUnknown}, // another address family
		{socketFacts{inet: true}, true, KindUnknown},   // a raw socket, say
	} {
		asked := false
		c.f.listening = func() (bool, error) { asked = true; return c.listening, nil }
		got, err := c.f.kind()
		require.NoError(t, err)
		require.Equal(t, c.want, got, "%+v", c.f)
		require.Equal(t, c.f.stream && (c.f.inet || c.f.unix), asked, "SO_ACCEPTCONN asked of %+v", c.f)
	}
	broken := socketFacts{stream: true, inet: true, listening: func() (bool, error) { return false, syscall.EBADF }}
	k, err := broken.kind()
	require.ErrorIs(t, err, syscall.EBADF)
	require.Equal(t, KindUnknown, k)
}
