//go:build cgo

package uv_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/uv"
	"github.com/uvpipe/uvpipe/uv/uvtest"
)

// Timers and async handles report their own type, not UnknownHandle.
func TestTimerAndAsyncReportTheirType(t *testing.T) {
	l := uvtest.NewLoop(t)
	tm, err := uv.NewTimer(l, func() {})
	require.NoError(t, err)
	defer tm.Close()
	require.Equal(t, uv.TimerHandle, tm.Type())
	require.Equal(t, "timer", tm.Type().String())
	a, err := uv.NewAsync(l, func() {})
	require.NoError(t, err)
	defer a.Close()
	require.Equal(t, uv.AsyncHandle, a.Type())
}
