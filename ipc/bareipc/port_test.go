//go:build !windows

package bareipc_test

import (
	"bytes"
	"io"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/internal/interop"
	"github.com/uvpipe/uvpipe/ipc/bareipc"
	"github.com/uvpipe/uvpipe/ipc/jsvalue"
	"github.com/uvpipe/uvpipe/ipc/structuredclone"
	"github.com/uvpipe/uvpipe/pipe"
)

func init() {
	children["port-echo"] = func() int {
		port, err := bareipc.FromEnv()
		if err != nil {
			return 2
		}
		s, err := port.Connect(pipe.Config{})
		if err != nil {
			return 3
		}
		defer s.Close()
		if _, err := io.Copy(s, s); err != nil {
			return 4
		}
		s.CloseWrite()
		return 0
	}
}

func connectedPorts(t *testing.T) (*bareipc.Stream, *bareipc.Stream) {
	t.Helper()
	a, b, err := bareipc.Open()
	require.NoError(t, err)
	sa, err := a.Connect(pipe.Config{})
	require.NoError(t, err)
	sb, err := b.Connect(pipe.Config{})
	require.NoError(t, err)
	t.Cleanup(func() { sa.Close(); sb.Close() })
	return sa, sb
}

// bare-ipc "basic": both sides write, end, read the other's message, close.
func TestPortsBasic(t *testing.T) {
	a, b := connectedPorts(t)
	errs := make(chan error, 2)
	for _, side := range []struct {
		s   *bareipc.Stream
		msg string
	}{{a, "hello from a"}, {b, "hello from b"}} {
		go func() {
			_, err := side.s.Write([]byte(side.msg))
			if err == nil {
				err = side.s.CloseWrite()
			}
			errs <- err
		}()
	}
	got, err := io.ReadAll(a)
	require.NoError(t, err)
	assert.Equal(t, "hello from b", string(got))
	got, err = io.ReadAll(b)
	require.NoError(t, err)
	assert.Equal(t, "hello from a", string(got))
	require.NoError(t, <-errs)
	require.NoError(t, <-errs)
}

// bare-ipc "large write": 4 MiB arrive intact.
func TestPortsLargeWrite(t *testing.T) {
	a, b := connectedPorts(t)
	big := bytes.Repeat([]byte("hello a"), 4<<20/7+1)[:4<<20]
	go func() {
		a.Write(big)
		a.CloseWrite()
	}()
	got, err := io.ReadAll(b)
	require.NoError(t, err)
	assert.True(t, bytes.Equal(big, got))
}

func TestPortIsUsedOnce(t *testing.T) {
	a, b, err := bareipc.Open()
	require.NoError(t, err)
	defer b.Close()
	s, err := a.Connect(pipe.Config{})
	require.NoError(t, err)
	defer s.Close()
	_, err = a.Connect(pipe.Config{})
	assert.ErrorIs(t, err, bareipc.ErrDetached)
	_, _, err = a.Detach()
	assert.ErrorIs(t, err, bareipc.ErrDetached)
	_, err = a.HandTo(exec.Command("true"))
	assert.ErrorIs(t, err, bareipc.ErrDetached)
}

// A port handed to a child process as inherited fds is rebuilt there and
// talks to its partner here.
func TestPortHandedToChild(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "UVPIPE_IPC_CHILD=port-echo")
	s := startWithPort(t, cmd)
	_, err := s.Write([]byte("through the child"))
	require.NoError(t, err)
	require.NoError(t, s.CloseWrite())
	require.NoError(t, s.SetReadDeadline(time.Now().Add(20*time.Second)))
	got, err := io.ReadAll(s)
	require.NoError(t, err)
	assert.Equal(t, "through the child", string(got))
	require.NoError(t, cmd.Wait())
}

// startWithPort starts cmd with one of a new port pair handed to it, and
// returns the other, connected; it is closed when the test ends.
func startWithPort(t *testing.T, cmd *exec.Cmd) *bareipc.Stream {
	t.Helper()
	a, b, err := bareipc.Open()
	require.NoError(t, err)
	release, err := a.HandTo(cmd)
	require.NoError(t, err)
	err = cmd.Start()
	release()
	require.NoError(t, err)
	s, err := b.Connect(pipe.Config{})
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

func TestPortFromEnvWithoutPort(t *testing.T) {
	_, err := bareipc.FromEnv()
	assert.ErrorIs(t, err, bareipc.ErrNoPort)
}

// A port travels over an IPC pipe as two handles.
func TestPortOverIPCPipe(t *testing.T) {
	x, y, err := pipe.SocketPair()
	require.NoError(t, err)
	defer x.Close()
	defer y.Close()
	a, b, err := bareipc.Open()
	require.NoError(t, err)
	require.NoError(t, bareipc.SendPort(x, a))
	moved, err := bareipc.ReceivePort(y)
	require.NoError(t, err)
	sa, err := moved.Connect(pipe.Config{})
	require.NoError(t, err)
	defer sa.Close()
	sb, err := b.Connect(pipe.Config{})
	require.NoError(t, err)
	defer sb.Close()
	go func() {
		sa.Write([]byte("moved"))
		sa.CloseWrite()
	}()
	got, err := io.ReadAll(sb)
	require.NoError(t, err)
	assert.Equal(t, "moved", string(got))
}

func TestMessagePortRoundTrip(t *testing.T) {
	for _, enc := range []bareipc.Encoding{bareipc.StructuredClone, bareipc.StructuredCloneV1, bareipc.JSONText} {
		a, b := connectedPorts(t)
		ma, mb := bareipc.NewMessagePort(a, enc, 0), bareipc.NewMessagePort(b, enc, 0)
		values := []any{"hi", 1.5, true, nil, []any{1.0, "x"}, jsvalue.NewObject("k", "v", "n", 2.0)}
		go func() {
			for _, v := range values {
				ma.Send(v)
			}
			a.CloseWrite()
		}()
		for _, want := range values {
			got, err := mb.Recv()
			require.NoError(t, err)
			assert.Equal(t, want, got, "encoding %d", enc)
		}
		_, err := mb.Recv()
		assert.ErrorIs(t, err, io.EOF)
	}
}

func TestMessagePortBadFrames(t *testing.T) {
	a, b := connectedPorts(t)
	mb := bareipc.NewMessagePort(b, bareipc.StructuredClone, 16)
	a.Write([]byte{0, 0, 0, 200}) // over the 16-byte limit
	_, err := mb.Recv()
	assert.ErrorIs(t, err, bareipc.ErrFrame)
	_, err = mb.Recv()
	assert.ErrorIs(t, err, bareipc.ErrFrame, "a broken frame ends the port")

	c, d := connectedPorts(t)
	md := bareipc.NewMessagePort(d, bareipc.StructuredClone, 0)
	c.Write([]byte{0, 0, 0, 3, 0xff, 0xff, 0xff}) // framed, but not structured clone
	c.Write([]byte{0, 0})                         // then the stream ends inside a length
	c.CloseWrite()
	_, err = md.Recv()
	assert.Error(t, err)
	assert.NotErrorIs(t, err, bareipc.ErrFrame, "a message that does not decode leaves the framing intact")
	_, err = md.Recv()
	assert.ErrorIs(t, err, bareipc.ErrFrame)
}

// The framing is what a Bare program reads with bare-structured-clone 1.6.0:
// the pinned bare, handed one port, decodes what Go sends and sends it back,
// and Go decodes what Bare built itself.
func TestMessagePortWithBare(t *testing.T) {
	bare := interop.Bare(t)
	dir := interop.Dir(t)
	interop.Module(t, "bare-structured-clone")
	cmd := exec.Command(bare, filepath.Join(dir, "msgport-peer.js"), "3", "4")
	cmd.Dir = dir
	cmd.Stderr = os.Stderr
	s := startWithPort(t, cmd)
	require.NoError(t, s.SetReadDeadline(time.Now().Add(20*time.Second)))
	m := bareipc.NewMessagePort(s, bareipc.StructuredClone, 0)

	greeting, err := m.Recv()
	require.NoError(t, err)
	obj, ok := greeting.(*jsvalue.Object)
	require.True(t, ok, "%T", greeting)
	hello, _ := obj.Get("hello")
	assert.Equal(t, "from bare", hello)
	n, _ := obj.Get("n")
	assert.Equal(t, 42.0, n)
	mp, _ := obj.Get("map")
	require.IsType(t, &jsvalue.Map{}, mp)
	assert.Equal(t, []jsvalue.Entry{{Key: 1.0, Value: "x"}}, mp.(*jsvalue.Map).Entries)

	values := []any{
		"héllo 😀", -0.5, big.NewInt(-12345678901234), []any{1.0, "two", nil, jsvalue.Undefined{}},
		jsvalue.NewObject("a", 1.0, "nested", jsvalue.NewObject("b", []byte{1, 2, 3})),
		&jsvalue.Set{Values: []any{"x", 2.0}}, jsvalue.RegExp{Source: "a+b", Flags: "gi"},
	}
	for _, v := range values {
		require.NoError(t, m.Send(v))
	}
	require.NoError(t, s.CloseWrite())
	var enc structuredclone.Encoder
	for _, v := range values {
		got, err := m.Recv()
		require.NoError(t, err)
		want, err := enc.Marshal(v)
		require.NoError(t, err)
		again, err := enc.Marshal(got)
		require.NoError(t, err)
		assert.Equal(t, want, again, "%#v came back as %#v", v, got)
	}
	_, err = m.Recv()
	assert.ErrorIs(t, err, io.EOF)
	require.NoError(t, cmd.Wait())
}
