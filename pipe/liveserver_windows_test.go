package pipe_test

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/pipe"
)

// Listening on a pipe name a live server holds is EADDRINUSE (under Wine,
// which ignores FILE_FLAG_FIRST_PIPE_INSTANCE, a second server was let
// create instances beside the first); the first server is still reached;
// once it closed, the name is free.
func TestListenOnLiveNameWindows(t *testing.T) {
	first, err := pipe.Listen("")
	require.NoError(t, err)
	name := first.Addr().String()
	_, err = pipe.Listen(name)
	require.ErrorIs(t, err, syscall.EADDRINUSE)

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, err := pipe.Dial(ctx, name)
	require.NoError(t, err, "the first server is still there")
	s, err := first.AcceptPipe()
	require.NoError(t, err)
	require.NoError(t, s.Close())
	require.NoError(t, c.Close())
	require.NoError(t, first.Close())

	again, err := pipe.Listen(name)
	require.NoError(t, err, "the name is free once its server closed")
	require.NoError(t, again.Close())
}
