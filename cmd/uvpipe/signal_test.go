package main

import (
	"context"
	"os"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/pipe"
)

// SIGINT or SIGTERM ends listen and connect with status 128+n, and nothing
// more on stderr, whether a bridge is up (both stdins still open, so only
// the signal can end it) or listen still waits for its connection; listen's
// socket file is gone either way.
func TestListenConnectInterrupted(t *testing.T) {
	skipOnWindows(t, "Windows cannot send SIGINT or SIGTERM to another process (os.Process.Signal sends only Kill there)")
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		// listen, bridging
		path := socketPath(t)
		l := listening(t, path)
		ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
		c, err := pipe.Dial(ctx, path)
		cancel()
		require.NoError(t, err)
		l.waitStderr(t, "uvpipe: connected")
		require.NoError(t, l.cmd.Process.Signal(sig))
		require.Equal(t, exitSignal+int(sig), l.exit(t), "listen, bridging, %v: %s", sig, l.stderr.String())
		assert.Regexp(t, `^uvpipe: listening on \S+\nuvpipe: connected to pid \d+ \(uid \d+\)\n$`, l.stderr.String())
		require.NoError(t, c.Close())
		assertGone(t, path)

		// listen, waiting
		path = socketPath(t)
		l = listening(t, path)
		require.NoError(t, l.cmd.Process.Signal(sig))
		require.Equal(t, exitSignal+int(sig), l.exit(t), "listen, waiting, %v: %s", sig, l.stderr.String())
		assert.Regexp(t, `^uvpipe: listening on \S+\n$`, l.stderr.String())
		assertGone(t, path)

		// connect, bridging
		path = socketPath(t)
		srv, err := pipe.Listen(path)
		require.NoError(t, err)
		cp := start(t, "connect", "-v", path)
		conn, err := acceptWithin(srv)
		require.NoError(t, err)
		cp.waitStderr(t, "uvpipe: connected")
		require.NoError(t, cp.cmd.Process.Signal(sig))
		require.Equal(t, exitSignal+int(sig), cp.exit(t), "connect, %v: %s", sig, cp.stderr.String())
		assert.Regexp(t, `^uvpipe: connected to pid \d+ \(uid \d+\)\n$`, cp.stderr.String())
		require.NoError(t, conn.Close())
		require.NoError(t, srv.Close())
	}
}

// assertGone checks that the socket file at path was removed.
func assertGone(t *testing.T, path string) {
	t.Helper()
	_, err := os.Stat(path)
	assert.True(t, os.IsNotExist(err), "%s: %v", path, err)
}
