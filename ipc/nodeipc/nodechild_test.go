package nodeipc_test

import (
	"context"
	"errors"
	"io"
	"math/big"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/internal/interop"
	"github.com/uvpipe/uvpipe/ipc/internal/childtest"
	"github.com/uvpipe/uvpipe/ipc/jsvalue"
	"github.com/uvpipe/uvpipe/ipc/nodeipc"
	"github.com/uvpipe/uvpipe/ipc/nodejson"
	"github.com/uvpipe/uvpipe/ipc/v8"
)

var modes = []nodeipc.Serialization{nodeipc.JSON, nodeipc.Advanced}

// startNode starts testdata/child.js with a channel in mode, and arranges for
// it to be disconnected and waited for when the test ends.
func startNode(t *testing.T, mode nodeipc.Serialization) *nodeipc.Channel {
	t.Helper()
	return startNodeOptions(t, nodeipc.Options{Serialization: mode})
}

// startNodeOptions is startNode with options.
func startNodeOptions(t *testing.T, opts nodeipc.Options) *nodeipc.Channel {
	t.Helper()
	return startJS(t, interop.Node(t), opts)
}

// startJS starts testdata/child.js under runtime (node or bun) with a
// channel, and arranges for it to be disconnected and waited for when the
// test ends.
func startJS(t *testing.T, runtime string, opts nodeipc.Options) *nodeipc.Channel {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), childtest.Timeout(30*time.Second))
	cmd := exec.CommandContext(ctx, runtime, "testdata/child.js")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	ch, err := nodeipc.Start(cmd, opts)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		defer cancel()
		ch.Disconnect()
		if err := ch.Wait(); err != nil {
			t.Errorf("%s child: %v\n%s", runtime, err, stderr.String())
		}
	})
	return ch
}

// recv receives the next message within 20 s.
func recv(t *testing.T, ch *nodeipc.Channel) nodeipc.Message {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), childtest.Timeout(20*time.Second))
	defer cancel()
	m, err := ch.Recv(ctx)
	require.NoError(t, err)
	return m
}

// same reports whether two values are the same JavaScript value, by their
// encoding in mode.
func same(t *testing.T, mode nodeipc.Serialization, want, got any) {
	t.Helper()
	enc := nodejson.Marshal
	if mode == nodeipc.Advanced {
		enc = v8.Marshal
	}
	w, err := enc(want)
	require.NoError(t, err)
	g, err := enc(normalize(got))
	require.NoError(t, err)
	require.Equal(t, string(w), string(g))
}

// normalize turns sparse arrays without named properties into []any (with
// holes): V8 writes an array it deserialized as holey, hence sparse, so an
// echo from Node comes back sparse where it went dense.
func normalize(v any) any {
	switch x := v.(type) {
	case *jsvalue.SparseArray:
		if len(x.Props) > 0 {
			return x
		}
		out := make([]any, x.Length)
		for i := range out {
			out[i] = jsvalue.Hole{}
		}
		for _, e := range x.Elements {
			out[e.Index] = normalize(e.Value)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalize(e)
		}
		return out
	case *jsvalue.Object:
		out := jsvalue.NewObject()
		for _, p := range x.Props {
			out.Set(p.Key, normalize(p.Value))
		}
		return out
	}
	return v
}

func pingValues(mode nodeipc.Serialization) []any {
	vs := []any{
		"hi", 1.0, -1.5, float64(1 << 31), nil, true, false, "", "é€😀\u2028",
		jsvalue.NewObject("a", 1, "b", []any{1, 2, jsvalue.NewObject("c", "d")}, "1", "x"),
		[]any{}, jsvalue.NewObject(), []any{nil, "x"}, strings.Repeat("a", 70000),
		map[string]any{"z": 1, "a": []int{1, 2}},
	}
	if mode == nodeipc.Advanced {
		vs = append(vs, []byte{1, 2, 3}, time.UnixMilli(0).UTC(), jsvalue.NewObject("b", big.NewInt(10)),
			jsvalue.NewObject("u", jsvalue.Undefined{}))
	}
	return vs
}

func TestGoParentNodeChildPingPong(t *testing.T) {
	for _, mode := range modes {
		t.Run(string(mode), func(t *testing.T) { checkPingPong(t, startNode(t, mode), mode) })
	}
}

// checkPingPong sends each of pingValues to an echoing peer and checks what
// comes back.
func checkPingPong(t *testing.T, ch *nodeipc.Channel, mode nodeipc.Serialization) {
	t.Helper()
	for _, v := range pingValues(mode) {
		require.NoError(t, ch.Send(v))
		m := recv(t, ch)
		require.Nil(t, m.Handle)
		same(t, mode, v, m.Value)
	}
}

func TestGoParentNodeChildManyInOrder(t *testing.T) {
	for _, mode := range modes {
		t.Run(string(mode), func(t *testing.T) { checkManyInOrder(t, startNode(t, mode)) })
	}
}

// checkManyInOrder sends 10,000 messages to an echoing peer while receiving
// them back, in order.
func checkManyInOrder(t *testing.T, ch *nodeipc.Channel) {
	t.Helper()
	const n = 10000
	errc := make(chan error, 1)
	go func() {
		for i := 0; i < n; i++ {
			if err := ch.Send(jsvalue.NewObject("i", i)); err != nil {
				errc <- err
				return
			}
		}
		errc <- nil
	}()
	for i := 0; i < n; i++ {
		var got struct{ I int }
		require.NoError(t, recv(t, ch).Decode(&got))
		require.Equal(t, i, got.I)
	}
	require.NoError(t, <-errc)
}

func TestGoParentNodeChildBigMessage(t *testing.T) {
	s := strings.Repeat("é€😀a", (1<<20)/10) // split UTF-8 across reads both ways
	for _, mode := range modes {
		t.Run(string(mode), func(t *testing.T) {
			ch := startNode(t, mode)
			require.NoError(t, ch.Send(jsvalue.NewObject("s", s)))
			var got struct{ S string }
			require.NoError(t, recv(t, ch).Decode(&got))
			require.Equal(t, s, got.S)
		})
	}
}

func TestGoParentNodeChildInternalNotDelivered(t *testing.T) {
	for _, mode := range modes {
		t.Run(string(mode), func(t *testing.T) {
			ch := startNode(t, mode)
			// Node does not echo an internal message: only "after" comes back.
			require.NoError(t, ch.Send(jsvalue.NewObject("cmd", "NODE_TEST_INTERNAL")))
			require.NoError(t, ch.Send("after"))
			require.Equal(t, "after", recv(t, ch).Value)
			// Node's internal message is not delivered here.
			require.NoError(t, ch.Send("internal"))
			require.Equal(t, "after-internal", recv(t, ch).Value)
		})
	}
}

// listenLocal listens on a fresh TCP port of 127.0.0.1 for one test.
func listenLocal(t *testing.T) *net.TCPListener {
	t.Helper()
	l, err := net.ListenTCP("tcp", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)})
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	return l
}

func TestGoParentSendsListenerToNode(t *testing.T) {
	for _, mode := range modes {
		t.Run(string(mode), func(t *testing.T) { checkSendListener(t, startNode(t, mode), mode) })
	}
}

// checkSendListener sends a listener to testdata/child.js, which serves
// on it alone once ours is closed.
func checkSendListener(t *testing.T, ch *nodeipc.Channel, mode nodeipc.Serialization) {
	t.Helper()
	l := listenLocal(t)
	require.NoError(t, ch.SendHandle("lst", l, nodeipc.SendOptions{}))
	same(t, mode, jsvalue.NewObject("ready", "lst", "type", "net.Server"), recv(t, ch).Value)
	addr := l.Addr().String()
	l.Close() // the child alone accepts now
	for i := 0; i < 3; i++ {
		s, err := dialReadAll(addr)
		require.NoError(t, err)
		require.Equal(t, "node:lst\n", s)
	}
	// Messages still flow after the handle's ACK.
	require.NoError(t, ch.Send("after"))
	require.Equal(t, "after", recv(t, ch).Value)
}

func TestGoParentSendsConnToNode(t *testing.T) {
	for _, mode := range modes {
		t.Run(string(mode), func(t *testing.T) { checkSendConn(t, startNode(t, mode), mode) })
	}
}

// checkSendConn sends an accepted connection to testdata/child.js, which
// answers on it, with a message queued behind it.
func checkSendConn(t *testing.T, ch *nodeipc.Channel, mode nodeipc.Serialization) {
	t.Helper()
	l := listenLocal(t)
	errc := make(chan error, 1)
	got := make(chan string, 1)
	go func() {
		s, err := dialReadAll(l.Addr().String())
		got <- s
		errc <- err
	}()
	conn, err := l.AcceptTCP()
	require.NoError(t, err)
	defer conn.Close()
	// Sent twice in a row: the second waits for the first's ACK.
	require.NoError(t, ch.SendHandle("conn", conn, nodeipc.SendOptions{KeepOpen: true}))
	require.NoError(t, ch.Send("queued"))
	same(t, mode, jsvalue.NewObject("ready", "conn", "type", "net.Socket"), recv(t, ch).Value)
	require.Equal(t, "queued", recv(t, ch).Value)
	conn.Close() // ours; the child ends its copy
	require.Equal(t, "node-socket:conn\n", <-got)
	require.NoError(t, <-errc)
}

func TestSendHandleRefusesFiles(t *testing.T) {
	ch := startNode(t, nodeipc.JSON)
	r, w, err := os.Pipe() // *os.Files that are no sockets
	require.NoError(t, err)
	defer r.Close()
	defer w.Close()
	err = ch.SendHandle("x", r, nodeipc.SendOptions{})
	require.ErrorIs(t, err, nodeipc.ErrNotSocket)
	require.NoError(t, ch.Send("still works"))
	require.Equal(t, "still works", recv(t, ch).Value)
}

func TestSendAfterDisconnect(t *testing.T) {
	ch := startNode(t, nodeipc.JSON)
	require.NoError(t, ch.Send("exit")) // the child disconnects
	ctx, cancel := context.WithTimeout(context.Background(), childtest.Timeout(20*time.Second))
	defer cancel()
	_, err := ch.Recv(ctx)
	require.ErrorIs(t, err, io.EOF)
	require.ErrorIs(t, ch.Send("late"), nodeipc.ErrChannelClosed)
	require.True(t, errors.Is(ch.Disconnect(), nodeipc.ErrChannelClosed))
}

// dialReadAll connects to addr and reads until the server ends the
// connection, within 20 s.
func dialReadAll(addr string) (string, error) {
	c, err := net.DialTimeout("tcp", addr, 20*time.Second)
	if err != nil {
		return "", err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(20 * time.Second))
	b, err := io.ReadAll(c)
	return string(b), err
}
