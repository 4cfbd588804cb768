//go:build !windows

package pipe_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/uvpipe/uvpipe/pipe"
)

// procTimeout bounds the life of a peer process; ioTimeout bounds each
// blocking read or accept in a test, so a bug fails instead of hanging.
const (
	procTimeout = 30 * time.Second
	ioTimeout   = 10 * time.Second
)

// peerProc is a peer process holding one end of a socket pair as fd 3: the
// pinned bare running an interop/ script, or this test binary re-executed as
// one of the children.
type peerProc struct {
	name   string
	cmd    *exec.Cmd
	out    bytes.Buffer // stdout and stderr, read only after Wait
	cancel context.CancelFunc
	once   sync.Once
	err    error
}

// startPeerProc starts prog with args in dir (the working directory when
// empty) and env added, with one end of a fresh socket pair as its fd 3, and
// returns the other end as an IPC pipe. When the test ends the pipe is closed
// and the process killed if it is still running.
func startPeerProc(t *testing.T, name, dir string, env []string, prog string, args ...string) (*pipe.Pipe, *peerProc) {
	t.Helper()
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	require.NoError(t, err)
	end := os.NewFile(uintptr(fds[1]), name+"-ipc")
	ipc, err := pipe.Config{IPC: true}.Open(fds[0])
	if err != nil {
		unix.Close(fds[0])
		end.Close()
		require.NoError(t, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), procTimeout)
	p := &peerProc{name: name, cancel: cancel}
	p.cmd = exec.CommandContext(ctx, prog, args...)
	p.cmd.Dir = dir
	p.cmd.Env = append(os.Environ(), env...)
	p.cmd.ExtraFiles = []*os.File{end}
	p.cmd.Stdout, p.cmd.Stderr = &p.out, &p.out
	p.cmd.WaitDelay = 5 * time.Second
	err = p.cmd.Start()
	end.Close()
	if err != nil {
		cancel()
		ipc.Close()
		require.NoError(t, err)
	}
	t.Cleanup(func() {
		ipc.Close()
		p.cancel() // kills it if it is still running
		p.Wait()
	})
	return ipc, p
}

// Wait waits for the process to exit (at most procTimeout from its start)
// and returns an error carrying its output unless it exited with status 0.
func (p *peerProc) Wait() error {
	p.once.Do(func() {
		if err := p.cmd.Wait(); err != nil {
			p.err = &procError{name: p.name, err: err, out: p.out.String()}
		}
		p.cancel()
	})
	return p.err
}

type procError struct {
	name string
	err  error
	out  string
}

func (e *procError) Error() string { return e.name + ": " + e.err.Error() + "; output:\n" + e.out }

// startChild re-executes the test binary as the registered child name (see
// children), with one end of a socket pair as its fd 3.
func startChild(t *testing.T, name string) (*pipe.Pipe, *peerProc) {
	t.Helper()
	require.Contains(t, children, name, "no child registered under that name")
	return startPeerProc(t, name, "", []string{"UVPIPE_PIPE_CHILD=" + name}, os.Args[0], "-test.run=^$")
}
