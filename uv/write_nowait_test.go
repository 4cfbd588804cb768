//go:build cgo

package uv_test

import (
	"bytes"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/uv"
	"github.com/uvpipe/uvpipe/uv/uvtest"
)

// WriteNoWait to a peer that does not read never blocks: the queue grows to
// the limit, then ErrQueueFull writes nothing; what was accepted arrives
// whole and in order once the peer reads, and StartCloseWrite ends it after
// the queued bytes without waiting for them.
func TestWriteNoWaitBoundsTheQueue(t *testing.T) {
	noPipeHalfClose(t)
	l := uvtest.NewLoop(t)
	a, b := pipePair(t, l, false)
	const limit = 256 << 10
	chunk := bytes.Repeat([]byte("0123456789abcdef"), 64) // 1 KiB
	var sent bytes.Buffer
	full := false
	for i := 0; i < 4096 && !full; i++ {
		chunk[0] = byte(i)
		n, err := a.WriteNoWait(chunk, limit)
		if err == uv.ErrQueueFull {
			assert.Zero(t, n)
			full = true
			break
		}
		require.NoError(t, err)
		require.Equal(t, len(chunk), n)
		sent.Write(chunk)
	}
	require.True(t, full, "a peer that reads nothing fills the queue to its limit")
	q := a.WriteQueueSize()
	assert.GreaterOrEqual(t, q, limit)
	assert.Less(t, q, limit+len(chunk), "the queue stays within the limit and one write")
	require.NoError(t, a.StartCloseWrite())
	got, err := io.ReadAll(b)
	require.NoError(t, err)
	assert.True(t, bytes.Equal(sent.Bytes(), got), "every accepted byte arrives, in order, then the end")
}
