package nodeipc_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/ipc/internal/childtest"
	"github.com/uvpipe/uvpipe/ipc/nodeipc"
)

// The tests of this file hold Start to os/exec's semantics of a command's
// context, Cancel and WaitDelay, which on Windows (where uv_spawn starts
// the child, not cmd.Start) Start keeps itself.

func init() {
	children["untilexit"] = untilExitChild
	children["leavestdout"] = leaveStdoutChild
	children["readstdin"] = readStdinChild
}

// untilExitChild sends "ready", then runs until it receives "exit" or its
// channel ends, and exits 0.
func untilExitChild() int {
	c, err := nodeipc.FromEnv()
	if err != nil {
		fmt.Fprintln(os.Stderr, "untilexit child:", err)
		return 1
	}
	defer c.Close()
	if err := c.Send("ready"); err != nil {
		fmt.Fprintln(os.Stderr, "untilexit child:", err)
		return 1
	}
	for {
		m, err := c.Recv(context.Background())
		if err != nil || m.Value == "exit" {
			return 0
		}
	}
}

// leaveStdoutChild starts a grandchild (readStdinChild) with its own stdin
// and stdout, and exits at once: the grandchild keeps the stdout it was
// given open until its stdin ends.
func leaveStdoutChild() int {
	bin, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, "leavestdout child:", err)
		return 1
	}
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), childEnv+"=readstdin", noRaceExitSleep)
	cmd.Stdin, cmd.Stdout = os.Stdin, os.Stdout
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "leavestdout child:", err)
		return 1
	}
	fmt.Println("grandchild started")
	return 0
}

// readStdinChild reads its stdin to the end.
func readStdinChild() int {
	io.Copy(io.Discard, os.Stdin) //nolint:errcheck // any end of stdin will do
	return 0
}

// helperCommand is the test binary as helper child name, made by
// exec.CommandContext when ctx is not nil.
func helperCommand(t *testing.T, ctx context.Context, name string) *exec.Cmd {
	t.Helper()
	bin, err := os.Executable()
	require.NoError(t, err)
	var cmd *exec.Cmd
	if ctx != nil {
		cmd = exec.CommandContext(ctx, bin)
	} else {
		cmd = exec.Command(bin)
	}
	cmd.Env = append(os.Environ(), childEnv+"="+name, noRaceExitSleep)
	return cmd
}

// waitReleasing returns what ch.Wait returns. Should Wait not return within
// two minutes (times UVPIPE_TEST_SCALE), release is called, which must let
// the child end, and the test fails once Wait has returned.
func waitReleasing(t *testing.T, ch *nodeipc.Channel, release func()) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- ch.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(childtest.Timeout(2 * time.Minute)):
	}
	release()
	err := <-done
	t.Fatalf("Wait did not return until the child was released (then: %v)", err)
	return err
}

// When exec.CommandContext's context is done, its Cancel kills the child,
// and Wait reports the killed child as exec.Cmd.Wait does (an
// *exec.ExitError, not a success).
func TestStartContextKillsChild(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cmd := helperCommand(t, ctx, "untilexit")
	ch, err := nodeipc.Start(cmd, nodeipc.Options{})
	require.NoError(t, err)
	require.Equal(t, "ready", recv(t, ch).Value)
	cancel()
	err = waitReleasing(t, ch, func() { ch.Send("exit") }) //nolint:errcheck // best effort
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit)
	require.False(t, cmd.ProcessState.Success())
}

// A Cancel of the program's own (here: asking the child to exit, which it
// does with status 0) is called instead, and Wait returns the context's
// error, as exec.Cmd.Wait does after a Cancel that succeeded.
func TestStartContextCallsCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cmd := helperCommand(t, ctx, "untilexit")
	var ch *nodeipc.Channel
	cancels := 0
	cmd.Cancel = func() error {
		cancels++
		return ch.Send("exit")
	}
	ch, err := nodeipc.Start(cmd, nodeipc.Options{})
	require.NoError(t, err)
	require.Equal(t, "ready", recv(t, ch).Value)
	cancel()
	err = waitReleasing(t, ch, func() { ch.Send("exit") }) //nolint:errcheck // best effort
	require.ErrorIs(t, err, context.Canceled)
	require.True(t, cmd.ProcessState.Success())
	require.Equal(t, 1, cancels)
}

// A context done before Start: no child starts, and Start returns the
// context's error, as cmd.Start does.
func TestStartContextDoneBeforeStart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	cmd := helperCommand(t, ctx, "untilexit")
	ch, err := nodeipc.Start(cmd, nodeipc.Options{})
	if err == nil {
		ch.Close()
		ch.Wait() //nolint:errcheck // the test fails anyway
	}
	require.ErrorIs(t, err, context.Canceled)
	require.Nil(t, cmd.Process)
}

// A Cancel on a command that exec.CommandContext did not make is refused,
// as cmd.Start refuses it.
func TestStartCancelWithoutContext(t *testing.T) {
	cmd := helperCommand(t, nil, "untilexit")
	cmd.Cancel = func() error { return nil }
	ch, err := nodeipc.Start(cmd, nodeipc.Options{})
	if err == nil {
		ch.Close()
		ch.Wait() //nolint:errcheck // the test fails anyway
	}
	require.Error(t, err)
	require.Nil(t, cmd.Process)
}

// With a Cancel that does not end the child, WaitDelay after the context
// is done bounds the wait: the child is killed.
func TestStartWaitDelayKillsAfterCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cmd := helperCommand(t, ctx, "untilexit")
	cmd.Cancel = func() error { return nil }
	cmd.WaitDelay = time.Second
	ch, err := nodeipc.Start(cmd, nodeipc.Options{})
	require.NoError(t, err)
	require.Equal(t, "ready", recv(t, ch).Value)
	cancel()
	err = waitReleasing(t, ch, func() { ch.Send("exit") }) //nolint:errcheck // best effort
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit)
	require.False(t, cmd.ProcessState.Success())
}

// WaitDelay bounds the copying of the child's output once it has exited:
// a grandchild holding the child's stdout open does not hold Wait, which
// closes the pipe and returns exec.ErrWaitDelay, as exec.Cmd.Wait does.
func TestStartWaitDelayBoundsOutputCopy(t *testing.T) {
	stdinR, stdinW, err := os.Pipe()
	require.NoError(t, err)
	defer stdinW.Close() // the grandchild's stdin ends: it exits
	cmd := helperCommand(t, nil, "leavestdout")
	cmd.Stdin = stdinR
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.WaitDelay = time.Second
	ch, err := nodeipc.Start(cmd, nodeipc.Options{})
	stdinR.Close() // the child has its own
	require.NoError(t, err)
	err = waitReleasing(t, ch, func() { stdinW.Close() })
	require.ErrorIs(t, err, exec.ErrWaitDelay)
	require.True(t, cmd.ProcessState.Success())
	require.Equal(t, "grandchild started\n", out.String())
}
