package pipe_test

import (
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/pipe"
)

// bare-pipe "socket, read buffer size must be an integer": a size out of
// range is refused, for pipes and servers alike.
func TestReadBufferSizeOutOfRange(t *testing.T) {
	_, _, err := pipe.Config{ReadBufferSize: -1}.SocketPair()
	assert.ErrorContains(t, err, "ReadBufferSize")
	_, err = pipe.ServerConfig{Config: pipe.Config{ReadBufferSize: -5}}.Listen(sockPath(t))
	assert.ErrorContains(t, err, "ReadBufferSize")
}

// bare-pipe "socket, read buffer size bounds the chunk size": with a 1 KiB
// read buffer no Read returns more than 1 KiB, however large the caller's
// buffer.
func TestReadBufferSizeBoundsEachRead(t *testing.T) {
	a, b, err := pipe.Config{ReadBufferSize: 1024}.SocketPair()
	require.NoError(t, err)
	defer a.Close()
	defer b.Close()
	msg := make([]byte, 256<<10)
	go func() {
		a.Write(msg)
		a.Close() // not CloseWrite: on Windows a named pipe has no half close
	}()
	buf := make([]byte, 64<<10)
	total := 0
	for {
		n, err := b.Read(buf)
		require.LessOrEqual(t, n, 1024)
		total += n
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
	}
	assert.Equal(t, len(msg), total)
}

// Bytes that arrived in several reads while no Read waited come out in
// chunks of the read buffer's size, not all at once.
func TestReadBufferSizeBoundsBufferedReads(t *testing.T) {
	a, b, err := pipe.Config{ReadBufferSize: 1024}.SocketPair()
	require.NoError(t, err)
	defer a.Close()
	defer b.Close()
	msg := make([]byte, 8<<10)
	for i := range msg {
		msg[i] = byte(i)
	}
	_, err = a.Write(msg)
	require.NoError(t, err)
	require.NoError(t, a.Close()) // the peer reads the bytes, then io.EOF
	// A small first Read lends libuv no buffer: libuv reads all it can into
	// the read buffer, one full buffer after another.
	small := make([]byte, 100)
	n, err := b.Read(small)
	require.NoError(t, err)
	got := append([]byte(nil), small[:n]...)
	buf := make([]byte, 64<<10)
	for {
		n, err := b.Read(buf)
		require.LessOrEqual(t, n, 1024)
		got = append(got, buf[:n]...)
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
	}
	assert.Equal(t, msg, got)
}
