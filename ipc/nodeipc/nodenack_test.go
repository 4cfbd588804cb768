//go:build !windows

package nodeipc_test

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/uvpipe/uvpipe/internal/interop"
	"github.com/uvpipe/uvpipe/ipc/internal/childtest"
)

// TestNodeNacksHandleWithoutFD: real node, sent a NODE_HANDLE message with
// no fd riding on it, answers exactly the NACK line this package expects
// (and acts on, see TestNackRetransmitsThreeTimes), then goes on.
func TestNodeNacksHandleWithoutFD(t *testing.T) {
	node := interop.Node(t)
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	require.NoError(t, err)
	mine := os.NewFile(uintptr(fds[0]), "parent")
	theirs := os.NewFile(uintptr(fds[1]), "child")
	defer mine.Close()
	ctx, cancel := context.WithTimeout(context.Background(), childtest.Timeout(20*time.Second))
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "testdata/child.js")
	cmd.ExtraFiles = []*os.File{theirs}
	cmd.Env = append(os.Environ(), "NODE_CHANNEL_FD=3", "NODE_CHANNEL_SERIALIZATION_MODE=json")
	require.NoError(t, cmd.Start())
	theirs.Close()
	mine.SetDeadline(time.Now().Add(20 * time.Second))
	_, err = mine.WriteString(`{"cmd":"NODE_HANDLE","type":"net.Server","msg":"nofd"}` + "\n" + `"after"` + "\n")
	require.NoError(t, err)
	r := bufio.NewReader(mine)
	for _, want := range []string{`{"cmd":"NODE_HANDLE_NACK"}`, `"after"`} {
		line, err := r.ReadString('\n')
		require.NoError(t, err)
		require.Equal(t, want+"\n", line)
	}
	mine.Close() // node sees the disconnect and exits
	require.NoError(t, cmd.Wait())
}
