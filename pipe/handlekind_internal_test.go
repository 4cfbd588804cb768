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
