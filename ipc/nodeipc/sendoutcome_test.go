//go:build !windows

package nodeipc_test

import (
	"context"
	"errors"
	"io"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/uvpipe/uvpipe/ipc/internal/childtest"
	"github.com/uvpipe/uvpipe/ipc/jsvalue"
	"github.com/uvpipe/uvpipe/ipc/nodeipc"
)

// waitOutcome returns the outcome a SendOptions.Done channel receives. Its
// deadline is generous, and longer under the race detector.
func waitOutcome(t *testing.T, done <-chan error) error {
	t.Helper()
	d := raceScale * 20 * time.Second
	select {
	case err := <-done:
		return err
	case <-time.After(d):
		t.Fatalf("no outcome in %v", d)
		return nil
	}
}

// SendOptions.Wait returns the handle's own outcome: the peer's NACKs end
// it with a *SendError wrapping ErrHandleNotReceived.
func TestSendHandleWaitReturnsTheNack(t *testing.T) {
	ch, p := rawPair(t, nodeipc.JSON)
	l := listenLocal(t)
	res := make(chan error, 1)
	go func() { res <- ch.SendHandle("h", l, nodeipc.SendOptions{Wait: true}) }()
	for i := 0; i < 4; i++ { // the first send, then 3 retransmissions
		require.Equal(t, `{"cmd":"NODE_HANDLE","type":"net.Server","msg":"h"}`+"\n", p.line())
		p.write(`{"cmd":"NODE_HANDLE_NACK"}` + "\n")
	}
	err := waitOutcome(t, res)
	require.ErrorIs(t, err, nodeipc.ErrHandleNotReceived)
	var se *nodeipc.SendError
	require.ErrorAs(t, err, &se)
	require.Equal(t, "h", se.Value)
	require.Contains(t, err.Error(), "nodeipc: a message with a *net.TCPListener (h) was not delivered")
}

// SendOptions.Wait returns nil once the peer acknowledged the handle, and
// Done receives nil too.
func TestSendHandleWaitReturnsTheAck(t *testing.T) {
	ch, p := rawPair(t, nodeipc.JSON)
	l := listenLocal(t)
	done := make(chan error, 1)
	res := make(chan error, 1)
	go func() { res <- ch.SendHandle("h", l, nodeipc.SendOptions{Wait: true, Done: done}) }()
	require.Equal(t, `{"cmd":"NODE_HANDLE","type":"net.Server","msg":"h"}`+"\n", p.line())
	select {
	case err := <-res:
		t.Fatalf("SendHandle returned %v before the ACK", err)
	default:
	}
	p.write(`{"cmd":"NODE_HANDLE_ACK"}` + "\n")
	require.NoError(t, waitOutcome(t, res))
	require.NoError(t, waitOutcome(t, done))
}

// A queued message whose write fails is reported with that message, to
// Options.OnSendError (it had no Done), and not by the next Send, which
// says only what became of its own message.
func TestQueuedWriteErrorGoesToItsMessage(t *testing.T) {
	failed := make(chan *nodeipc.SendError, 4)
	ch, p := rawPairOptions(t, nodeipc.Options{OnSendError: func(se *nodeipc.SendError) { failed <- se }})
	l := listenLocal(t)
	done := make(chan error, 1)
	require.NoError(t, ch.SendHandle("h", l, nodeipc.SendOptions{Done: done}))
	require.NoError(t, ch.Send("queued")) // held behind the handle
	require.Equal(t, `{"cmd":"NODE_HANDLE","type":"net.Server","msg":"h"}`+"\n", p.line())
	require.NoError(t, unix.Shutdown(p.fd, unix.SHUT_RD)) // writes to the peer now fail (EPIPE)
	p.write(`{"cmd":"NODE_HANDLE_ACK"}` + "\n")
	require.NoError(t, waitOutcome(t, done), "the handle itself was acknowledged")
	var se *nodeipc.SendError
	select {
	case se = <-failed:
	case <-time.After(20 * time.Second):
		t.Fatal("the queued message's failure was not reported")
	}
	require.Equal(t, "queued", se.Value)
	require.Nil(t, se.Handle)
	require.ErrorIs(t, se, syscall.EPIPE)
	err := ch.Send("later")
	require.Error(t, err) // its own write fails as well
	require.False(t, errors.As(err, &se), "the next Send reported another message's failure: %v", err)
}

// A handle still awaiting its ACK when the peer goes ends with
// ErrChannelClosed, and so does a message queued behind it; Wait returns.
func TestPendingHandleEndsWithTheChannel(t *testing.T) {
	failed := make(chan *nodeipc.SendError, 4)
	ch, p := rawPairOptions(t, nodeipc.Options{OnSendError: func(se *nodeipc.SendError) { failed <- se }})
	l := listenLocal(t)
	res := make(chan error, 1)
	go func() { res <- ch.SendHandle("h", l, nodeipc.SendOptions{Wait: true}) }()
	require.Equal(t, `{"cmd":"NODE_HANDLE","type":"net.Server","msg":"h"}`+"\n", p.line())
	require.NoError(t, ch.Send("queued"))
	require.NoError(t, p.close())
	err := waitOutcome(t, res)
	require.ErrorIs(t, err, nodeipc.ErrChannelClosed)
	select {
	case se := <-failed:
		require.Equal(t, "queued", se.Value)
		require.ErrorIs(t, se, nodeipc.ErrChannelClosed)
	case <-time.After(20 * time.Second):
		t.Fatal("the queued message's drop was not reported")
	}
	require.ErrorIs(t, recvErr(t, ch), io.EOF) // Recv says how the channel ended, nothing else
}

// Go to Go: SendHandle with Wait returns once the other Go channel, which
// nobody reads yet, acknowledged the listener; the receiver serves on it.
func TestGoToGoSendHandleWait(t *testing.T) {
	for _, mode := range modes {
		t.Run(string(mode), func(t *testing.T) {
			fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
			require.NoError(t, err)
			a, err := nodeipc.Open(fds[0], nodeipc.Options{Serialization: mode})
			require.NoError(t, err)
			defer a.Close()
			b, err := nodeipc.Open(fds[1], nodeipc.Options{Serialization: mode})
			require.NoError(t, err)
			defer b.Close()

			l := listenLocal(t)
			done := make(chan error, 1)
			require.NoError(t, a.SendHandle("first", l, nodeipc.SendOptions{Wait: true}))
			require.NoError(t, a.SendHandle("second", l, nodeipc.SendOptions{Done: done}))
			require.NoError(t, waitOutcome(t, done))
			for _, want := range []string{"first", "second"} {
				m := recv(t, b)
				require.Equal(t, want, m.Value)
				require.Equal(t, nodeipc.KindTCPListener, m.Handle.Kind())
				require.NoError(t, m.Handle.Close())
			}
		})
	}
}

// Real node: Wait returns once node acknowledged the listener; node serves
// on it.
func TestNodeAcksSendHandleWait(t *testing.T) {
	for _, mode := range modes {
		t.Run(string(mode), func(t *testing.T) {
			ch := startNode(t, mode)
			l := listenLocal(t)
			require.NoError(t, ch.SendHandle("lst", l, nodeipc.SendOptions{Wait: true}))
			same(t, mode, jsvalue.NewObject("ready", "lst", "type", "net.Server"), recv(t, ch).Value)
			addr := l.Addr().String()
			l.Close()
			s, err := dialReadAll(addr)
			require.NoError(t, err)
			require.Equal(t, "node:lst\n", s)
		})
	}
}

// Real node exiting with handles queued: every handle's Done receives one
// outcome, nil (node acknowledged it) or ErrChannelClosed; none is left
// waiting.
func TestNodeExitGivesEveryHandleAnOutcome(t *testing.T) {
	ch := startNode(t, nodeipc.JSON)
	require.NoError(t, ch.Send("exit-now"))
	var dones []chan error
	for i := 0; i < 3; i++ {
		done := make(chan error, 1)
		err := ch.SendHandle(i, listenLocal(t), nodeipc.SendOptions{Done: done})
		if err != nil { // the child may be gone already
			require.ErrorIs(t, err, nodeipc.ErrChannelClosed)
			continue
		}
		dones = append(dones, done)
	}
	ctx, cancel := context.WithTimeout(context.Background(), childtest.Timeout(20*time.Second))
	defer cancel()
	for {
		if _, err := ch.Recv(ctx); err != nil {
			require.ErrorIs(t, err, io.EOF)
			break
		}
	}
	for _, done := range dones {
		if err := waitOutcome(t, done); err != nil {
			require.ErrorIs(t, err, nodeipc.ErrChannelClosed)
		}
	}
}

// A Handler may wait for its own handle's ACK: the channel reads the answer
// while the handler waits.
func TestHandlerWaitsForItsHandle(t *testing.T) {
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	require.NoError(t, err)
	l := listenLocal(t)
	res := make(chan error, 1)
	a, err := nodeipc.Open(fds[0], nodeipc.Options{OnMessage: func(c *nodeipc.Channel, m nodeipc.Message, err error) {
		if err == nil && m.Value == "send it" {
			res <- c.SendHandle("here", l, nodeipc.SendOptions{Wait: true})
		}
	}})
	require.NoError(t, err)
	defer a.Close()
	b, err := nodeipc.Open(fds[1], nodeipc.Options{})
	require.NoError(t, err)
	defer b.Close()
	require.NoError(t, b.Send("send it"))
	m := recv(t, b)
	require.Equal(t, "here", m.Value)
	require.NoError(t, m.Handle.Close())
	require.NoError(t, waitOutcome(t, res))
}
