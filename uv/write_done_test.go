//go:build cgo

package uv_test

import (
	"io"
	"net"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/uv/uvtest"
)

// A write queued inside a handler reports its completion: the queue shrinks
// to 0 as the peer reads (the drain), never growing between reports.
func TestOnWriteDoneReportsTheQueueDraining(t *testing.T) {
	l := uvtest.NewLoop(t)
	a, b := pipePair(t, l, false)
	var reports []int
	drained := make(chan struct{})
	require.NoError(t, a.OnWriteDone(func(queued int, err error) {
		assert.NoError(t, err)
		reports = append(reports, queued)
		if queued == 0 {
			close(drained)
		}
	}))
	const size = 4 << 20
	var queuedAfterWrite int
	require.NoError(t, l.Do(func() {
		n, err := a.Write(make([]byte, size))
		assert.NoError(t, err)
		assert.Equal(t, size, n)
		queuedAfterWrite = a.WriteQueueSize()
	}))
	assert.Positive(t, queuedAfterWrite, "a 4 MiB write inside a handler queues what the socket does not take")
	got, err := io.ReadFull(b, make([]byte, size))
	require.NoError(t, err)
	assert.Equal(t, size, got)
	<-drained
	l.Do(func() {
		require.NotEmpty(t, reports)
		assert.Equal(t, 0, reports[len(reports)-1])
		for i := 1; i < len(reports); i++ {
			assert.LessOrEqual(t, reports[i], reports[i-1], "the queue only shrinks without new writes")
		}
	})
}

// A queued write cancelled by Close reports its failure to the hook.
func TestOnWriteDoneReportsACancelledWrite(t *testing.T) {
	l := uvtest.NewLoop(t)
	a, _ := pipePair(t, l, false)
	errs := make(chan error, 8)
	require.NoError(t, a.OnWriteDone(func(queued int, err error) { errs <- err }))
	require.NoError(t, l.Do(func() {
		_, err := a.Write(make([]byte, 8<<20))
		assert.NoError(t, err)
	}))
	require.NoError(t, a.Close())
	assert.Error(t, <-errs)
	assert.ErrorIs(t, a.OnWriteDone(nil), net.ErrClosed)
}
