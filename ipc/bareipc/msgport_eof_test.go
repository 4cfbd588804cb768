package bareipc_test

import (
	"bytes"
	"io"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/ipc/bareipc"
)

// A stream that ends inside a frame is ErrFrame and io.ErrUnexpectedEOF,
// inside the length or inside the payload.
func TestMessagePortCutFrameIsUnexpectedEOF(t *testing.T) {
	var whole bytes.Buffer
	require.NoError(t, bareipc.NewMessagePort(&whole, bareipc.JSONText, 0).Send("hello"))
	for _, cut := range []int{2, whole.Len() - 1} {
		rw := &bytes.Buffer{}
		rw.Write(whole.Bytes()[:cut])
		_, err := bareipc.NewMessagePort(rw, bareipc.JSONText, 0).Recv()
		require.ErrorIs(t, err, bareipc.ErrFrame)
		require.ErrorIs(t, err, io.ErrUnexpectedEOF, "cut at %d", cut)
	}
}
