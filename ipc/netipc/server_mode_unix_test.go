//go:build !windows

package netipc_test

import (
	"os"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/ipc/netipc"
)

// The socket file is 0600 whatever the umask, 0660 with GroupSocketMode.
func TestServerSocketMode(t *testing.T) {
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	for _, m := range []struct {
		opt, want os.FileMode
	}{{0, 0o600}, {0o660, 0o660}} {
		s := startServer(t, netipc.ServerOptions{Mode: m.opt})
		fi, err := os.Stat(s.Addr().String())
		require.NoError(t, err)
		assert.Equal(t, m.want, fi.Mode().Perm())
		require.NoError(t, s.Close())
	}
}
