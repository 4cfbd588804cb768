package channel_test

import (
	"io"
	"net"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/channel"
	"github.com/uvpipe/uvpipe/pipe"
	"github.com/uvpipe/uvpipe/uv"
	"github.com/uvpipe/uvpipe/uv/uvtest"
)

// countFDs counts this process's open fds.
func countFDs(t *testing.T) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	require.NoError(t, err)
	return len(ents)
}

// writeNeverRead moves one end of a new socket pair into a channel whose
// other end is never connected, closes the writing port, and returns the
// pair's other end: it reads io.EOF once the moved end's fd is closed.
func writeNeverRead(t *testing.T, ch *channel.Channel, l *uv.Loop) *pipe.Pipe {
	t.Helper()
	a := connect(t, ch, l)
	p, q, err := pipe.SocketPair()
	require.NoError(t, err)
	t.Cleanup(func() { p.Close() })
	require.NoError(t, a.Write(testCtx(t), q))
	require.NoError(t, a.Close())
	return p
}

// readsEOF reports whether p reads the end of its peer (within wait).
func readsEOF(t *testing.T, p *pipe.Pipe) bool {
	t.Helper()
	p.SetReadDeadline(time.Now().Add(wait))
	_, err := p.Read(make([]byte, 1))
	return assert.ErrorIs(t, err, io.EOF)
}

// A handle written toward an end that never connects stays in the channel
// (that end could still connect and read it) until Channel.Close gives up
// on the end: then its fd is closed, and the end cannot connect any more.
func TestChannelCloseReleasesHandlesNeverDelivered(t *testing.T) {
	skipOnWindows(t, "a named pipe does not move between loops there: its instance is bound to its loop's completion port, and uv's Detach of a pipe fails")
	l := uvtest.NewLoop(t)
	before := countFDs(t)
	ch := channel.New()
	p := writeNeverRead(t, ch, l)
	assert.Equal(t, before+2, countFDs(t), "the moved end waits in the channel with its fd")
	require.NoError(t, ch.Close())
	readsEOF(t, p)
	assert.Equal(t, before+1, countFDs(t), "only the end kept here is open")
	_, err := ch.Connect(uvtest.NewLoop(t))
	assert.ErrorIs(t, err, net.ErrClosed)
	require.NoError(t, ch.Close(), "closing twice does nothing")
}

// Closing the channel ends a connected port's other side as if it had
// connected and closed at once: the port reads io.EOF, its writes fail.
func TestChannelCloseEndsTheConnectedPort(t *testing.T) {
	ch := channel.New()
	a := connect(t, ch, uvtest.NewLoop(t))
	require.NoError(t, ch.Close())
	_, err := a.Read(testCtx(t))
	assert.ErrorIs(t, err, io.EOF)
	assert.ErrorIs(t, a.Write(testCtx(t), 1), channel.ErrEnded)
	waitDone(t, a)
}

// The same without Close: once the channel (and its closed port) is
// unreachable, nothing can ever read the handle, and the channel's cleanup
// closes its fd.
func TestUnreachableChannelReleasesHandles(t *testing.T) {
	skipOnWindows(t, "a named pipe does not move between loops there: its instance is bound to its loop's completion port, and uv's Detach of a pipe fails")
	l := uvtest.NewLoop(t)
	before := countFDs(t)
	p := writeNeverRead(t, channel.New(), l)
	eof := make(chan bool)
	go func() { eof <- readsEOF(t, p) }()
	for {
		runtime.GC()
		select {
		case ok := <-eof:
			assert.True(t, ok)
			assert.Equal(t, before+1, countFDs(t), "only the end kept here is open")
			return
		case <-time.After(time.Millisecond):
		}
	}
}
