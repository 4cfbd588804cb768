package pipe

import (
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/uv"
)

// An fd that is not a socket is a KindFile; a taken one (-1) is unknown.
func TestKindOfFDNotASocket(t *testing.T) {
	f, err := os.Open(os.DevNull)
	require.NoError(t, err)
	defer f.Close()
	k := kindOfFD(int(f.Fd()))
	require.Equal(t, KindFile, k)
	require.Equal(t, uv.FileHandle, k.Type())
	require.Equal(t, "", k.NodeType())
	require.Equal(t, KindUnknown, kindOfFD(-1))
}
