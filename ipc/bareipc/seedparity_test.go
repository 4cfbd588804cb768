//go:build !windows

package bareipc_test

import (
	"encoding/binary"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/uvpipe/uvpipe/internal/interop"
	"github.com/uvpipe/uvpipe/ipc/bareipc"
	"github.com/uvpipe/uvpipe/ipc/jsvalue"
	"github.com/uvpipe/uvpipe/pipe"
)

// startMsgportPeer runs interop/msgport-peer.js in mode under the pinned
// bare, handed one port of a new pair, and returns the other, connected, and
// the command (its stderr collected in errOut).
func startMsgportPeer(t *testing.T, mode string) (*bareipc.Stream, *exec.Cmd, *strings.Builder) {
	t.Helper()
	bare := interop.Bare(t)
	dir := interop.Dir(t)
	interop.Module(t, "bare-ipc")
	interop.Module(t, "bare-structured-clone")
	cmd := exec.Command(bare, filepath.Join(dir, "msgport-peer.js"), "3", "4", mode)
	cmd.Dir = dir
	errOut := &strings.Builder{}
	cmd.Stderr = errOut
	cmd.WaitDelay = 5 * time.Second
	s := startWithPort(t, cmd)
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	require.NoError(t, s.SetReadDeadline(time.Now().Add(20*time.Second)))
	return s, cmd, errOut
}

// A Bare peer destroys its bare-ipc stream and exits: Go's write meets
// EPIPE, and that error destroys Go's stream as bare-ipc's documentation
// says: Read returns the same error (it returned io.EOF before) and so does
// every later Write, instead of a fresh EPIPE each time after an EOF.
func TestStreamErrorDestroysItWithBare(t *testing.T) {
	s, cmd, errOut := startMsgportPeer(t, "destroy")
	require.NoError(t, cmd.Wait(), "bare: %s", errOut)

	_, err := s.Write([]byte("to nobody"))
	require.ErrorIs(t, err, syscall.EPIPE)
	assert.Equal(t, err, s.Err(), "the error destroyed the stream")
	n, rerr := s.Read(make([]byte, 8))
	assert.Equal(t, 0, n)
	assert.NotEqual(t, io.EOF, rerr, "no io.EOF after the error")
	assert.Equal(t, err, rerr, "Read returns the error that destroyed the stream")
	_, werr := s.Write([]byte("again"))
	assert.Equal(t, err, werr, "every Write returns it")
	assert.NoError(t, s.Close())
}

// The error reaches a Read blocked at the moment a Write fails, and a
// deadline does not destroy the stream.
func TestStreamErrorWakesBlockedRead(t *testing.T) {
	pa, pb, err := bareipc.Open()
	require.NoError(t, err)
	a, err := pa.Connect(pipe.Config{})
	require.NoError(t, err)
	defer a.Close()
	bin, bout, err := pb.Detach()
	require.NoError(t, err)
	defer unix.Close(bout) // b keeps writing open: a's Read sees no end

	require.NoError(t, a.SetReadDeadline(time.Now().Add(-time.Second)))
	_, err = a.Read(make([]byte, 1))
	require.ErrorIs(t, err, os.ErrDeadlineExceeded)
	require.NoError(t, a.Err(), "a deadline leaves the stream usable")
	require.NoError(t, a.SetReadDeadline(time.Now().Add(20*time.Second)))

	got := make(chan error, 1)
	go func() {
		_, err := a.Read(make([]byte, 1))
		got <- err
	}()
	require.NoError(t, unix.Close(bin)) // a's outgoing pipe has no reader now
	_, werr := a.Write([]byte("x"))
	require.ErrorIs(t, werr, syscall.EPIPE)
	select {
	case rerr := <-got:
		assert.Equal(t, werr, rerr, "the blocked Read returns the error that destroyed the stream")
	case <-time.After(20 * time.Second):
		t.Fatal("the blocked Read did not return")
	}
}

// Incoming, Outgoing and Detached read the port without using it up.
func TestPortAccessors(t *testing.T) {
	a, b, err := bareipc.Open()
	require.NoError(t, err)
	defer b.Close()
	in, out := a.Incoming(), a.Outgoing()
	assert.GreaterOrEqual(t, in, 0)
	assert.GreaterOrEqual(t, out, 0)
	assert.False(t, a.Detached())
	assert.False(t, a.Detached(), "asking does not use the port up")
	gin, gout, err := a.Detach()
	require.NoError(t, err)
	assert.Equal(t, in, gin)
	assert.Equal(t, out, gout)
	assert.True(t, a.Detached())
	assert.Equal(t, -1, a.Incoming())
	assert.Equal(t, -1, a.Outgoing())
	bareipc.FromFDs(gin, gout).Close()
}

// interop/uvpipe-msgport.js speaks MessagePort's framing in JSON too, and a
// message whose payload does not decode is its 'messageerror', after which
// the next message reads as usual.
func TestMessagePortModuleJSONWithBare(t *testing.T) {
	s, cmd, errOut := startMsgportPeer(t, "json")
	m := bareipc.NewMessagePort(s, bareipc.JSONText, 0)
	greeting, err := m.Recv()
	require.NoError(t, err)
	obj, ok := greeting.(*jsvalue.Object)
	require.True(t, ok, "%T", greeting)
	hello, _ := obj.Get("hello")
	assert.Equal(t, "from bare", hello)

	require.NoError(t, m.Send(map[string]any{"a": 1.0}))
	var frame [5]byte
	binary.BigEndian.PutUint32(frame[:], 1)
	frame[4] = '{'
	_, err = s.Write(frame[:])
	require.NoError(t, err)
	require.NoError(t, m.Send("after"))
	require.NoError(t, s.CloseWrite())

	var echo map[string]any
	require.NoError(t, m.RecvInto(&echo))
	assert.Equal(t, map[string]any{"a": 1.0}, echo)
	var bad map[string]string
	require.NoError(t, m.RecvInto(&bad))
	assert.NotEmpty(t, bad["messageerror"])
	after, err := m.Recv()
	require.NoError(t, err)
	assert.Equal(t, "after", after)
	_, err = m.Recv()
	assert.Equal(t, io.EOF, err)
	require.NoError(t, cmd.Wait(), "bare: %s", errOut)
}

// A frame whose length is over the module's limit breaks the framing: the
// Bare port emits an 'error' (the peer exits 1 with it).
func TestMessagePortModuleBrokenFrameWithBare(t *testing.T) {
	s, cmd, errOut := startMsgportPeer(t, "structured-clone")
	m := bareipc.NewMessagePort(s, bareipc.StructuredClone, 0)
	_, err := m.Recv()
	require.NoError(t, err)
	_, err = s.Write([]byte{0xff, 0xff, 0xff, 0xff})
	require.NoError(t, err)
	err = cmd.Wait()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit)
	assert.Equal(t, 1, exit.ExitCode())
	assert.Contains(t, errOut.String(), "over the limit")
}
