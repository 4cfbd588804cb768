package uv_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/uv"
	"github.com/uvpipe/uvpipe/uv/uvtest"
)

// A named pipe echo between two loops on Windows: the server's loop binds
// \\.\pipe\NAME, listens and echoes with blocking calls; the client's loop
// connects. Both leaders wait inside libuv (backend_windows.go).
func TestPipeNamedEchoBetweenTwoLoops(t *testing.T) {
	sl, cl := uvtest.NewLoop(t), uvtest.NewLoop(t)
	name := fmt.Sprintf(`\\.\pipe\uvpipe-test-%d-%d`, os.Getpid(), time.Now().UnixNano())
	srv, err := uv.NewPipe(sl, false, 0)
	require.NoError(t, err)
	defer srv.Close()
	require.NoError(t, srv.Bind(name))
	require.NoError(t, srv.Listen(0))

	served := make(chan error, 1)
	go func() {
		c, err := srv.Accept(false, 0)
		if err != nil {
			served <- err
			return
		}
		_, err = io.Copy(c, c)
		c.Close()
		served <- err
	}()

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c, err := uv.NewPipe(cl, false, 0)
	require.NoError(t, err)
	defer c.Close()
	require.NoError(t, c.Connect(ctx, name))
	for i := 0; i < 20; i++ {
		msg := []byte(fmt.Sprintf("ping %d", i))
		_, err := c.Write(msg)
		require.NoError(t, err)
		got := make([]byte, len(msg))
		_, err = io.ReadFull(c, got)
		require.NoError(t, err)
		require.Equal(t, msg, got)
	}
	require.NoError(t, c.Close())
	assert.NoError(t, <-served)
}
