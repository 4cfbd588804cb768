//go:build !windows

package nodeipc_test

import (
	"bufio"
	"context"
	"encoding/binary"
	"io"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/uvpipe/uvpipe/ipc/internal/childtest"
	"github.com/uvpipe/uvpipe/ipc/jsc"
	"github.com/uvpipe/uvpipe/ipc/nodeipc"
	"github.com/uvpipe/uvpipe/ipc/nodejson"
	"github.com/uvpipe/uvpipe/ipc/v8"
)

// rawPeer is the other end of a channel, driven byte by byte as a
// misbehaving or exacting peer would.
type rawPeer struct {
	t  *testing.T
	fd int
	r  *bufio.Reader
}

// rawPair returns a channel in mode over one end of a socket pair, and the
// raw other end.
func rawPair(t *testing.T, mode nodeipc.Serialization) (*nodeipc.Channel, *rawPeer) {
	t.Helper()
	return rawPairOptions(t, nodeipc.Options{Serialization: mode, MaxMessageSize: 1 << 16})
}

// rawPairOptions is rawPair with the channel's options.
func rawPairOptions(t *testing.T, opts nodeipc.Options) (*nodeipc.Channel, *rawPeer) {
	t.Helper()
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	require.NoError(t, err)
	ch, err := nodeipc.Open(fds[0], opts)
	if err != nil {
		unix.Close(fds[1])
		t.Fatal(err)
	}
	f := os.NewFile(uintptr(fds[1]), "raw-peer")
	p := &rawPeer{t: t, fd: fds[1], r: bufio.NewReader(f)}
	t.Cleanup(func() {
		ch.Close()
		f.Close()
	})
	return ch, p
}

func (p *rawPeer) write(s string) {
	p.t.Helper()
	_, err := unix.Write(p.fd, []byte(s))
	require.NoError(p.t, err)
}

// sendFD writes s with fd riding along, as libuv's uv_write2.
func (p *rawPeer) sendFD(s string, fd int) {
	p.t.Helper()
	require.NoError(p.t, unix.Sendmsg(p.fd, []byte(s), unix.UnixRights(fd), nil, 0))
}

// close ends the peer's side, which the channel sees as a disconnect.
func (p *rawPeer) close() error { return unix.Shutdown(p.fd, unix.SHUT_RDWR) }

func (p *rawPeer) line() string {
	p.t.Helper()
	unix.SetsockoptTimeval(p.fd, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &unix.Timeval{Sec: 20})
	s, err := p.r.ReadString('\n')
	require.NoError(p.t, err)
	return s
}

func recvErr(t *testing.T, ch *nodeipc.Channel) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), childtest.Timeout(20*time.Second))
	defer cancel()
	_, err := ch.Recv(ctx)
	require.NotErrorIs(t, err, context.DeadlineExceeded)
	return err
}

func TestBadJSONLineIsReportedAndSkipped(t *testing.T) {
	ch, p := rawPair(t, nodeipc.JSON)
	p.write("{\"a\":1}\n{oops\n\n" + strings.Repeat("x", 1<<16+1) + "\n\"after\"\n")
	same(t, nodeipc.JSON, map[string]any{"a": 1}, recv(t, ch).Value)
	var se *nodejson.SyntaxError
	require.ErrorAs(t, recvErr(t, ch), &se)
	require.ErrorAs(t, recvErr(t, ch), &se) // the empty line
	var le *nodejson.LimitError
	require.ErrorAs(t, recvErr(t, ch), &le)
	require.Equal(t, "after", recv(t, ch).Value)
}

func TestJSONSplitInsideUTF8(t *testing.T) {
	ch, p := rawPair(t, nodeipc.JSON)
	msg := []byte("\"é€😀\"\n")
	for i := range msg { // one byte per write, so every sequence is split
		p.write(string(msg[i : i+1]))
		time.Sleep(time.Millisecond)
	}
	require.Equal(t, "é€😀", recv(t, ch).Value)
}

func TestAdvancedLengthPrefixSplit(t *testing.T) {
	ch, p := rawPair(t, nodeipc.Advanced)
	frame, err := v8.AppendFrame(nil, "split")
	require.NoError(t, err)
	p.write(string(frame[:2]))
	time.Sleep(5 * time.Millisecond)
	p.write(string(frame[2:5]))
	time.Sleep(5 * time.Millisecond)
	p.write(string(frame[5:]))
	require.Equal(t, "split", recv(t, ch).Value)
}

func TestAdvancedBadFrameEndsChannel(t *testing.T) {
	ch, p := rawPair(t, nodeipc.Advanced)
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], 1<<30)
	p.write(string(b[:]) + "\xff\x0f")
	var fe *v8.FrameError
	require.ErrorAs(t, recvErr(t, ch), &fe)
	require.ErrorAs(t, recvErr(t, ch), &fe) // every time
	require.ErrorIs(t, ch.Send("x"), nodeipc.ErrChannelClosed)
}

// TestAdvancedBunVersionPacket: a stream opening with Bun's version packet
// of version 1 (Bun before its Buffer envelope) is read as Bun's advanced
// mode: the message after it arrives, and the channel answers in Bun's
// packets.
func TestAdvancedBunVersionPacket(t *testing.T) {
	ch, p := rawPair(t, nodeipc.Advanced)
	payload, err := jsc.Marshal("hi")
	require.NoError(t, err)
	var hdr [5]byte
	hdr[0] = 2
	binary.LittleEndian.PutUint32(hdr[1:], uint32(len(payload)))
	p.write("\x01\x01\x00\x00\x00" + string(hdr[:]) + string(payload))
	require.Equal(t, "hi", recv(t, ch).Value)
	require.Equal(t, nodeipc.Bun, ch.Runtime())
}

func TestBunInternalLinesAreNotDelivered(t *testing.T) {
	ch, p := rawPair(t, nodeipc.JSON)
	// Bun tags its internal messages with 0x02 before the JSON; Node's
	// NODE_ convention does not apply to them, nor do they reach Recv.
	p.write("\x02{\"cmd\":\"NODE_CLUSTER\",\"act\":\"online\"}\n\x02\"x\"\n\"user\"\n\x02{bad\n\"last\"\n")
	require.Equal(t, "user", recv(t, ch).Value)
	var se *nodejson.SyntaxError
	require.ErrorAs(t, recvErr(t, ch), &se) // a tagged line that does not parse
	require.Equal(t, "last", recv(t, ch).Value)
}

func TestNodeHandleWithoutFDIsNacked(t *testing.T) {
	ch, p := rawPair(t, nodeipc.JSON)
	p.write(`{"cmd":"NODE_HANDLE","type":"net.Socket","msg":"x"}` + "\n" + `{"cmd":"NODE_OTHER"}` + "\n\"next\"\n")
	require.Equal(t, `{"cmd":"NODE_HANDLE_NACK"}`+"\n", p.line())
	require.Equal(t, "next", recv(t, ch).Value)
}

func TestNodeHandleBindsToItsMessage(t *testing.T) {
	ch, p := rawPair(t, nodeipc.JSON)
	l := listenLocal(t)
	f, err := l.File()
	require.NoError(t, err)
	defer f.Close()
	p.write("\"plain\"\n")
	p.sendFD(`{"cmd":"NODE_HANDLE","type":"net.Server","msg":{"n":1}}`+"\n", int(f.Fd()))
	m := recv(t, ch)
	require.Equal(t, "plain", m.Value)
	require.Nil(t, m.Handle)
	m = recv(t, ch)
	require.Equal(t, `{"cmd":"NODE_HANDLE_ACK"}`+"\n", p.line())
	require.Equal(t, nodeipc.KindTCPListener, m.Handle.Kind())
	same(t, nodeipc.JSON, map[string]any{"n": 1}, m.Value)
	ln, err := m.Handle.Listener()
	require.NoError(t, err)
	defer ln.Close()
	require.Equal(t, l.Addr().String(), ln.Addr().String())
}

// A handle NACKed after every retransmission is given up: that is its own
// outcome (SendOptions.Done), a *SendError naming it; Recv goes on with the
// peer's next message instead of reporting it.
func TestNackRetransmitsThreeTimes(t *testing.T) {
	ch, p := rawPair(t, nodeipc.JSON)
	l := listenLocal(t)
	done := make(chan error, 1)
	require.NoError(t, ch.SendHandle("h", l, nodeipc.SendOptions{Done: done}))
	require.NoError(t, ch.Send("queued")) // held until the handle is settled
	require.NoError(t, ch.Send("queued, second"))
	want := `{"cmd":"NODE_HANDLE","type":"net.Server","msg":"h"}` + "\n"
	for i := 0; i < 4; i++ { // the first send, then 3 retransmissions
		require.Equal(t, want, p.line())
		p.write(`{"cmd":"NODE_HANDLE_NACK"}` + "\n")
	}
	p.write(`"next"` + "\n")
	require.Equal(t, "next", recv(t, ch).Value)
	err := waitOutcome(t, done)
	require.ErrorIs(t, err, nodeipc.ErrHandleNotReceived)
	var se *nodeipc.SendError
	require.ErrorAs(t, err, &se)
	require.Equal(t, "h", se.Value)
	require.Equal(t, l, se.Handle)
	require.Equal(t, "\"queued\"\n", p.line())
	require.Equal(t, "\"queued, second\"\n", p.line()) // each queued message kept its own bytes
}

func TestPeerEOFIsDisconnect(t *testing.T) {
	ch, p := rawPair(t, nodeipc.JSON)
	p.write("\"last\"\n")
	unix.Shutdown(p.fd, unix.SHUT_WR)
	require.Equal(t, "last", recv(t, ch).Value)
	require.ErrorIs(t, recvErr(t, ch), io.EOF)
	require.ErrorIs(t, ch.Send("x"), nodeipc.ErrChannelClosed)
}

func TestFromEnvWithoutChannel(t *testing.T) {
	t.Setenv("NODE_CHANNEL_FD", "")
	os.Unsetenv("NODE_CHANNEL_FD")
	_, err := nodeipc.FromEnv()
	require.ErrorIs(t, err, nodeipc.ErrNoChannel)
}

func TestSendUnsupportedValue(t *testing.T) {
	ch, _ := rawPair(t, nodeipc.JSON)
	require.Error(t, ch.Send(make(chan int)))
	var c net.Conn
	require.Error(t, ch.SendHandle("x", c, nodeipc.SendOptions{}))
}
