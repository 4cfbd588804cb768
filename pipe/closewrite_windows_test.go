package pipe_test

import (
	"context"
	"io"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/pipe"
)

// A named pipe has no half close (Pipe.CloseWrite on Windows): CloseWrite
// returns once the server has read the request, the server learns of the
// end only once libuv has closed the client's pipe, which it does when the
// client reads and nothing comes, so a reply to the end is never delivered.
// The client reads io.EOF without it, the server reads the request and then
// io.EOF, and the reply fails with EPIPE.
func TestCloseWriteEndsTheWholePipeWindows(t *testing.T) {
	path := sockPath(t)
	srv, err := pipe.Listen(path)
	require.NoError(t, err)
	defer srv.Close()
	type served struct {
		got      string
		readErr  error
		replyErr error
	}
	done := make(chan served, 1)
	go func() {
		s, err := srv.AcceptPipe()
		if err != nil {
			done <- served{readErr: err}
			return
		}
		defer s.Close()
		s.SetReadDeadline(time.Now().Add(time.Minute))
		got, err := io.ReadAll(s)
		_, werr := s.Write([]byte("reply"))
		done <- served{string(got), err, werr}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, err := pipe.Dial(ctx, path)
	require.NoError(t, err)
	defer c.Close()

	_, err = c.Write([]byte("request"))
	require.NoError(t, err)
	require.NoError(t, c.CloseWrite())
	require.NoError(t, c.SetReadDeadline(time.Now().Add(time.Minute)))
	n, err := c.Read(make([]byte, 64))
	assert.Equal(t, 0, n)
	assert.Equal(t, io.EOF, err, "the client's read ends its pipe")

	var s served
	select {
	case s = <-done:
	case <-ctx.Done():
		t.Fatal("the server did not end")
	}
	assert.NoError(t, s.readErr)
	assert.Equal(t, "request", s.got, "the request, then the end")
	assert.ErrorIs(t, s.replyErr, syscall.EPIPE, "the reply has nobody to go to")
}
