package netipc_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/ipc/netipc"
)

// On Windows a path is a named pipe's name, mapped as net-ipc and @isdk map
// it: \\.\pipe\, then the path without its leading '/' and with '/' as
// '-'. A Go server listening on "/uvpipe/<name>" is where a Go client
// dialling the same path, and a net-ipc client under node.exe given it,
// connect.
func TestPathIsANamedPipeAsNetIPCMapsIt(t *testing.T) {
	assert.Equal(t, `\\.\pipe\isdk-ipc`, netipc.ResolvePath(""))
	assert.Equal(t, `\\.\pipe\isdk-ipc`, netipc.DefaultServerPath())
	assert.Equal(t, `\\.\pipe\myapp`, netipc.ResolvePath("myapp"))
	assert.Equal(t, `\\.\pipe\myapp`, netipc.ResolvePath("/myapp"))
	assert.Equal(t, `\\.\pipe\tmp-app.sock`, netipc.ResolvePath("/tmp/app.sock"))
	assert.Equal(t, `\\.\pipe\named`, netipc.ResolvePath(`\\.\pipe\named`))
	assert.Equal(t, `\\?\pipe\named`, netipc.ResolvePath(`\\?\pipe\named`))

	path := fmt.Sprintf("/uvpipe/%d/%d", os.Getpid(), pipeSeq.Add(1))
	s := startServer(t, netipc.ServerOptions{Path: path})
	assert.Equal(t, fmt.Sprintf(`\\.\pipe\uvpipe-%d-%d`, os.Getpid(), pipeSeq.Load()), s.Addr().String())
	c, err := netipc.Dial(context.Background(), netipc.ClientOptions{Path: path, NoReconnect: true})
	require.NoError(t, err)
	require.NoError(t, c.Close())

	peer := nodeNetIPC(t, "early-client", path)
	defer peer.stop()
	nextLine(t, peer.lines, `{"event":"ready"}`)
}
