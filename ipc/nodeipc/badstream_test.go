//go:build !windows

package nodeipc_test

import (
	"encoding/binary"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/uvpipe/uvpipe/ipc/nodeipc"
	"github.com/uvpipe/uvpipe/ipc/v8"
)

// A message cut off by the peer's end is io.ErrUnexpectedEOF, not the
// io.EOF of a clean disconnect, in both serializations.
func TestMessageCutByPeerEndIsUnexpectedEOF(t *testing.T) {
	t.Run("json", func(t *testing.T) {
		ch, p := rawPair(t, nodeipc.JSON)
		p.write("\"last\"\n{\"half\":")
		unix.Shutdown(p.fd, unix.SHUT_WR)
		require.Equal(t, "last", recv(t, ch).Value)
		err := recvErr(t, ch)
		require.ErrorIs(t, err, io.ErrUnexpectedEOF)
		require.NotErrorIs(t, err, io.EOF)
	})
	t.Run("advanced", func(t *testing.T) {
		ch, p := rawPair(t, nodeipc.Advanced)
		frame, err := v8.AppendFrame(nil, "whole")
		require.NoError(t, err)
		p.write(string(frame) + string(frame[:len(frame)-1]))
		unix.Shutdown(p.fd, unix.SHUT_WR)
		require.Equal(t, "whole", recv(t, ch).Value)
		require.ErrorIs(t, recvErr(t, ch), io.ErrUnexpectedEOF)
	})
}

// A first advanced frame that is only a 4-byte length over the limit is
// refused at once; it does not wait for a fifth byte.
func TestOversizedFirstHeaderRefusedAtOnce(t *testing.T) {
	ch, p := rawPair(t, nodeipc.Advanced)
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], 1<<30)
	p.write(string(b[:]))
	var fe *nodeipc.FrameError
	require.ErrorAs(t, recvErr(t, ch), &fe)
	require.ErrorIs(t, fe, v8.ErrFrameTooLarge)
}

// A json peer read in advanced mode, and an advanced peer read in json mode,
// end the channel with an error that says so.
func TestSerializationMismatchIsNamed(t *testing.T) {
	t.Run("json peer, advanced channel", func(t *testing.T) {
		ch, p := rawPair(t, nodeipc.Advanced)
		p.write("{\"hello\":\"world\"}\n")
		err := recvErr(t, ch)
		var me *nodeipc.MismatchError
		require.ErrorAs(t, err, &me)
		require.Equal(t, nodeipc.JSON, me.Peer)
		require.Contains(t, err.Error(), "the peer seems to speak json")
	})
	t.Run("advanced peer, json channel", func(t *testing.T) {
		ch, p := rawPair(t, nodeipc.JSON)
		frame, err := v8.AppendFrame(nil, map[string]any{"hello": "world"})
		require.NoError(t, err)
		p.write(string(frame))
		err = recvErr(t, ch) // an end, not a wait for a newline that never comes
		require.Contains(t, err.Error(), "the peer seems to speak advanced")
		require.ErrorIs(t, ch.Send("x"), nodeipc.ErrChannelClosed)
	})
}

// Errors name their package once, and stay matchable from nodeipc.
func TestErrorStringsNameThePackageOnce(t *testing.T) {
	ch, _ := rawPair(t, nodeipc.JSON)
	f, err := os.Open(os.DevNull)
	require.NoError(t, err)
	defer f.Close()
	err = ch.SendHandle("x", f, nodeipc.SendOptions{})
	require.ErrorIs(t, err, nodeipc.ErrNotSocket)
	require.Equal(t, 1, strings.Count(err.Error(), "ipc: "), err.Error())

	t.Setenv("NODE_CHANNEL_FD", "3")
	t.Setenv("NODE_CHANNEL_SERIALIZATION_MODE", "bogus")
	_, err = nodeipc.FromEnv()
	require.Error(t, err)
	require.Equal(t, 1, strings.Count(err.Error(), "ipc: "), err.Error())
	require.False(t, errors.Is(err, nodeipc.ErrNoChannel))
}

// NODE_CHANNEL_FD naming an fd that is not open says so.
func TestFromEnvClosedFD(t *testing.T) {
	t.Setenv("NODE_CHANNEL_FD", "987")
	t.Setenv("NODE_CHANNEL_SERIALIZATION_MODE", "json")
	_, err := nodeipc.FromEnv()
	require.ErrorIs(t, err, unix.EBADF)
	require.Contains(t, err.Error(), "fd 987 is not open")
	require.Equal(t, 1, strings.Count(err.Error(), "ipc: "), err.Error())
}

// Open leaves fd open, the caller's, when it fails, as pipe.Config.Open
// does.
func TestOpenFailureLeavesFDOpen(t *testing.T) {
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	require.NoError(t, err)
	defer unix.Close(fds[1])
	_, err = nodeipc.Open(fds[0], nodeipc.Options{Serialization: "bogus"})
	require.Error(t, err)
	_, err = unix.FcntlInt(uintptr(fds[0]), unix.F_GETFD, 0)
	require.NoError(t, err, "Open closed the fd it failed on")
	require.NoError(t, unix.Close(fds[0]))
}
