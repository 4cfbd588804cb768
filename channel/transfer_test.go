package channel_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/channel"
	"github.com/uvpipe/uvpipe/pipe"
	"github.com/uvpipe/uvpipe/uv"
	"github.com/uvpipe/uvpipe/uv/uvtest"
)

// foo is a user type bound to a loop, taking part through Transferable.
type foo struct {
	name string
	loop *uv.Loop
}

type fooInTransit struct {
	name   string
	closed *bool
}

func (f *foo) Detach() (channel.Attacher, error) {
	closed := false
	return &fooInTransit{name: f.name, closed: &closed}, nil
}

func (f *fooInTransit) Attach(l *uv.Loop) (any, error) { return &foo{name: f.name, loop: l}, nil }
func (f *fooInTransit) Close() error                   { *f.closed = true; return nil }

// serializable interface: a user type crosses through detach and attach,
// and comes back the same.
func TestTransferInterface(t *testing.T) {
	ch := channel.New()
	join := thread(t, ch, func(p *channel.Port, l *uv.Loop) {
		v, err := p.Read(testCtx(t))
		if assert.NoError(t, err) {
			assert.Same(t, l, v.(*foo).loop, "attached on the reader's loop")
			assert.NoError(t, p.Write(testCtx(t), v))
		}
	})
	l := uvtest.NewLoop(t)
	port := connect(t, ch, l)
	require.NoError(t, port.Write(testCtx(t), &foo{name: "foo"}))
	v, err := port.Read(testCtx(t))
	require.NoError(t, err)
	assert.Equal(t, "foo", v.(*foo).name)
	assert.Same(t, l, v.(*foo).loop)
	require.NoError(t, port.Close())
	join()
}

func TestTransferDroppedWhenReaderCloses(t *testing.T) {
	skipOnWindows(t, "a named pipe does not move between loops there: its instance is bound to its loop's completion port, and uv's Detach of a pipe fails")
	ch := channel.New()
	l := uvtest.NewLoop(t)
	a, b := connect(t, ch, l), connect(t, ch, l)
	p, q, err := pipe.SocketPair()
	require.NoError(t, err)
	defer p.Close()
	require.NoError(t, a.Write(testCtx(t), q))
	require.NoError(t, b.Close()) // never read: the moved pipe's fd is closed
	_, err = p.Read(make([]byte, 1))
	assert.ErrorIs(t, err, io.EOF)
	require.NoError(t, a.Close())
}

func TestMovePipeBetweenLoops(t *testing.T) {
	skipOnWindows(t, "a named pipe does not move between loops there: its instance is bound to its loop's completion port, and uv's Detach of a pipe fails")
	la, lb := uvtest.NewLoop(t), uvtest.NewLoop(t)
	ch := channel.New()
	a, b := connect(t, ch, la), connect(t, ch, lb)
	p, q, err := pipe.Config{Loop: la}.SocketPair()
	require.NoError(t, err)
	defer p.Close()
	_, err = p.Write([]byte("hello, moved world"))
	require.NoError(t, err)
	buf := make([]byte, 7)
	_, err = io.ReadFull(q, buf)
	require.NoError(t, err)
	require.NoError(t, a.Write(testCtx(t), q))
	_, err = q.Write([]byte("x"))
	assert.Error(t, err, "the writer's pipe is closed once moved")

	v, err := b.Read(testCtx(t))
	require.NoError(t, err)
	moved := v.(*pipe.Pipe)
	defer moved.Close()
	assert.Same(t, lb, moved.UV().Loop())
	require.NoError(t, p.CloseWrite())
	rest, err := io.ReadAll(moved)
	require.NoError(t, err)
	assert.Equal(t, "moved world", string(rest))
	require.NoError(t, a.Close())
	waitDone(t, b)
}

func TestMoveUVHandlesInEventStyle(t *testing.T) {
	skipOnWindows(t, "the UDP handle written does not reach the reader's loop there")
	la, lb := uvtest.NewLoop(t), uvtest.NewLoop(t)
	ch := channel.New()
	a, b := connect(t, ch, la), connect(t, ch, lb)
	got := make(chan any, 2)
	b.OnMessage(func(v any, err error) {
		if err == nil {
			switch h := v.(type) {
			case *uv.TCP:
				assert.Same(t, lb, h.Loop())
			case *uv.UDP:
				assert.Same(t, lb, h.Loop())
			}
			got <- v
		}
	})
	tcp, err := uv.NewTCP(la)
	require.NoError(t, err)
	require.NoError(t, tcp.Bind(&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)}))
	udp, err := uv.NewUDP(la)
	require.NoError(t, err)
	require.NoError(t, udp.Bind(&net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)}))
	require.NoError(t, a.Write(testCtx(t), tcp))
	require.NoError(t, a.Write(testCtx(t), udp))
	for range 2 {
		select {
		case v := <-got:
			require.NoError(t, v.(uv.IPCAcceptable).IPCHandle().Close())
		case <-testCtx(t).Done():
			t.Fatal("the handles never arrived")
		}
	}
	require.NoError(t, a.Close())
	waitDone(t, b)
}

// Connections accepted on one loop move to two worker loops while their
// clients keep sending; the workers echo. No byte is lost or reordered,
// including those the accepting loop had read into the handle's buffer.
func TestMoveConnectionsUnderLoad(t *testing.T) {
	conns := 1000
	if testing.Short() {
		conns = 100
	}
	const size = 32 << 10
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	acceptor := uvtest.NewLoop(t)
	srv, err := uv.NewTCP(acceptor)
	require.NoError(t, err)
	require.NoError(t, srv.Bind(&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)}))
	require.NoError(t, srv.Listen(1024))
	addr := srv.LocalAddr().String()

	var senders, workers []*channel.Port
	ended := make(chan struct{}, conns)
	for range 2 {
		ch := channel.New()
		w := uvtest.NewLoop(t)
		in := connect(t, ch, w)
		in.OnMessage(func(v any, err error) {
			if err != nil {
				return
			}
			c := v.(*uv.TCP)
			c.OnRead(func(data []byte, err error) {
				if err != nil {
					c.Close()
					ended <- struct{}{}
					return
				}
				if _, err := c.Write(data); err != nil {
					c.Close()
				}
			})
		})
		senders = append(senders, connect(t, ch, acceptor))
		workers = append(workers, in)
	}

	accepted := make(chan error, 1)
	go func() {
		for i := range conns {
			c, err := srv.Accept()
			if err != nil {
				accepted <- err
				return
			}
			// Read the greeting with a small buffer: libuv reads what has
			// come into the handle's own buffer, which must move too.
			b := make([]byte, 1)
			if _, err := io.ReadFull(c, b); err != nil {
				accepted <- err
				return
			}
			if err := senders[i%2].Write(ctx, c); err != nil {
				accepted <- err
				return
			}
		}
		accepted <- nil
	}()

	var wg sync.WaitGroup
	for i := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := net.Dial("tcp", addr)
			if !assert.NoError(t, err) {
				return
			}
			defer c.Close()
			if dl, ok := ctx.Deadline(); ok {
				c.SetDeadline(dl)
			}
			want := make([]byte, size)
			for k := range want {
				want[k] = byte(i + k*7)
			}
			checkEcho(t, c, []byte{'>'}, want, func(int) int { return 4096 }, fmt.Sprintf("conn %d", i))
		}()
	}
	wg.Wait()
	require.NoError(t, <-accepted)
	for range conns {
		select {
		case <-ended:
		case <-ctx.Done():
			t.Fatal("the workers did not see every connection end")
		}
	}
	require.NoError(t, srv.Close())
	for _, s := range senders {
		require.NoError(t, s.Close())
	}
	for _, w := range workers {
		waitDone(t, w)
	}
}

// Listeners move too: a TCP listener and a pipe server written on one loop
// accept on the reader's loop, connections that came meanwhile included.
func TestMoveListenersBetweenLoops(t *testing.T) {
	skipOnWindows(t, "listeners do not move between loops there (uv's Detach of a listener is ENOTSUP)")
	la, lb := uvtest.NewLoop(t), uvtest.NewLoop(t)
	ch := channel.New()
	a, b := connect(t, ch, la), connect(t, ch, lb)
	ln, err := uv.NewTCP(la)
	require.NoError(t, err)
	require.NoError(t, ln.Bind(&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)}))
	require.NoError(t, ln.Listen(0))
	srv, err := pipe.ServerConfig{Config: pipe.Config{Loop: la}}.Listen(filepath.Join(t.TempDir(), "s.sock"))
	require.NoError(t, err)
	tc, err := net.Dial("tcp", ln.LocalAddr().String())
	require.NoError(t, err)
	defer tc.Close()

	require.NoError(t, a.Write(testCtx(t), ln))
	require.NoError(t, a.Write(testCtx(t), srv))
	pc, err := net.Dial("unix", srv.Addr().String()) // while the server moves
	require.NoError(t, err)
	defer pc.Close()

	v, err := b.Read(testCtx(t))
	require.NoError(t, err)
	movedLn := v.(*uv.TCP)
	defer movedLn.Close()
	v, err = b.Read(testCtx(t))
	require.NoError(t, err)
	movedSrv := v.(*pipe.Server)
	defer movedSrv.Close()

	c, err := movedLn.Accept()
	require.NoError(t, err)
	assert.Same(t, lb, c.Loop())
	assert.Equal(t, tc.LocalAddr().String(), c.RemoteAddr().String())
	require.NoError(t, c.Close())
	p, err := movedSrv.AcceptPipe()
	require.NoError(t, err)
	assert.Same(t, lb, p.UV().Loop())
	require.NoError(t, p.Close())
	require.NoError(t, a.Close())
	waitDone(t, b)
}
