package nodeipc_test

import (
	"context"
	"errors"
	"os/exec"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/internal/interop"
	"github.com/uvpipe/uvpipe/ipc/internal/childtest"
	"github.com/uvpipe/uvpipe/ipc/nodeipc"
)

// Wait reports the child's exit as exec.Cmd.Wait does, on Windows too
// (where uv_spawn starts the child and cmd.Process is found by its pid): a
// non-zero exit code is an *exec.ExitError, and cmd.ProcessState holds it.
// The child's last message, sent before it disconnects, arrives first.
func TestStartWaitReportsExitCode(t *testing.T) {
	node := interop.Node(t)
	for _, mode := range modes {
		t.Run(string(mode), func(t *testing.T) {
			cmd := exec.Command(node, "-e", `process.send('bye', () => { process.exitCode = 3; process.disconnect(); });`)
			ch, err := nodeipc.Start(cmd, nodeipc.Options{Serialization: mode})
			require.NoError(t, err)
			ctx, cancel := context.WithTimeout(context.Background(), childtest.Timeout(60*time.Second))
			defer cancel()
			m, err := ch.Recv(ctx)
			require.NoError(t, err)
			assert.Equal(t, "bye", m.Value)
			err = ch.Wait()
			var exit *exec.ExitError
			require.True(t, errors.As(err, &exit), "Wait: %v", err)
			assert.Equal(t, 3, exit.ExitCode())
			require.NotNil(t, cmd.ProcessState)
			assert.Equal(t, 3, cmd.ProcessState.ExitCode())
		})
	}
}
