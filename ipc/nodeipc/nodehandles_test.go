package nodeipc_test

import (
	"context"
	"io"
	"net"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/ipc/internal/childtest"
	"github.com/uvpipe/uvpipe/ipc/jsvalue"
	"github.com/uvpipe/uvpipe/ipc/nodeipc"
	"github.com/uvpipe/uvpipe/uv"
)

// TestGoParentSendsUDPToNode: a UDP socket sent to a node child serves
// there. On Windows, which passes no UDP socket between processes,
// SendHandle refuses it at once with ErrNotSocket, saying why, and the
// channel goes on.
func TestGoParentSendsUDPToNode(t *testing.T) {
	for _, mode := range modes {
		t.Run(string(mode), func(t *testing.T) {
			ch := startNode(t, mode)
			if runtime.GOOS == "windows" {
				// A uv UDP handle: Go's own UDP socket cannot be made
				// under Wine (its WSAIoctl SIO_UDP_CONNRESET fails).
				udp, err := uv.NewUDP(nil)
				require.NoError(t, err)
				defer udp.Close()
				require.NoError(t, udp.Bind(&net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)}))
				err = ch.SendHandle("udp", udp, nodeipc.SendOptions{})
				require.ErrorIs(t, err, nodeipc.ErrNotSocket)
				require.Contains(t, err.Error(), "Windows passes only TCP sockets")
				require.NoError(t, ch.Send("after"))
				require.Equal(t, "after", recv(t, ch).Value)
				return
			}
			udp, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
			require.NoError(t, err)
			defer udp.Close()
			require.NoError(t, ch.SendHandle("udp", udp, nodeipc.SendOptions{}))
			same(t, mode, jsvalue.NewObject("ready", "udp", "type", "dgram.Socket"), recv(t, ch).Value)
			addr := udp.LocalAddr()
			udp.Close() // the Node child alone answers now

			client, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
			require.NoError(t, err)
			defer client.Close()
			_, err = client.WriteTo([]byte("ping"), addr)
			require.NoError(t, err)
			client.SetReadDeadline(time.Now().Add(20 * time.Second))
			buf := make([]byte, 64)
			n, _, err := client.ReadFrom(buf)
			require.NoError(t, err)
			require.Equal(t, "node-udp:ping", string(buf[:n]))
		})
	}
}

// TestNodeChildExitsWithHandlesQueued: the Node child exits while handles
// wait behind an unacknowledged one. The channel ends as a disconnect, the
// queued sends are dropped (their listeners stay ours) and nothing crashes.
func TestNodeChildExitsWithHandlesQueued(t *testing.T) {
	for _, mode := range modes {
		t.Run(string(mode), func(t *testing.T) {
			ch := startNode(t, mode)
			require.NoError(t, ch.Send("exit-now"))
			var ls []*net.TCPListener
			for i := 0; i < 3; i++ {
				l := listenLocal(t)
				ls = append(ls, l)
				err := ch.SendHandle(i, l, nodeipc.SendOptions{})
				if err != nil { // the child may be gone already
					require.ErrorIs(t, err, nodeipc.ErrChannelClosed)
				}
			}
			ctx, cancel := context.WithTimeout(context.Background(), childtest.Timeout(20*time.Second))
			defer cancel()
			for {
				_, err := ch.Recv(ctx)
				if err != nil {
					require.ErrorIs(t, err, io.EOF)
					break
				}
			}
			require.ErrorIs(t, ch.Send("late"), nodeipc.ErrChannelClosed)
			for _, l := range ls { // still ours and working
				go func() {
					c, err := net.Dial("tcp", l.Addr().String())
					if err == nil {
						c.Close()
					}
				}()
				l.SetDeadline(time.Now().Add(20 * time.Second))
				c, err := l.Accept()
				require.NoError(t, err)
				c.Close()
			}
		})
	}
}
