//go:build !windows

package netipc_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/ipc/netipc"
)

// A bare name is resolved in the temporary directory, as @isdk resolves
// it: a Go server listening on "myapp" is where a net-ipc client under node
// given @isdk's resolution of "myapp" connects, and a Go client dialling
// "myapp" reaches it; paths beginning with '/' or '.' are used as they are.
func TestRelativePathResolvedAsIsdk(t *testing.T) {
	dir, err := os.MkdirTemp("", "nipr")
	require.NoError(t, err)
	defer os.RemoveAll(dir)
	t.Setenv("TMPDIR", dir+"/")
	assert.Equal(t, dir+"/myapp", netipc.ResolvePath("myapp"))
	assert.Equal(t, dir+"/isdk-ipc", netipc.ResolvePath(""))
	for _, p := range []string{"/myapp", "./myapp", "../myapp"} {
		assert.Equal(t, p, netipc.ResolvePath(p))
	}

	s := startServer(t, netipc.ServerOptions{Path: "myapp"})
	assert.Equal(t, filepath.Join(dir, "myapp"), s.Addr().String())
	c, err := netipc.Dial(context.Background(), netipc.ClientOptions{Path: "myapp", NoReconnect: true})
	require.NoError(t, err)
	require.NoError(t, c.Close())

	peer := nodeNetIPC(t, "early-client", filepath.Join(dir, "myapp"))
	defer peer.stop()
	nextLine(t, peer.lines, `{"event":"ready"}`)
}
