package channel_test

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/uv"
	"github.com/uvpipe/uvpipe/uv/uvtest"
)

func newEchoServer(t *testing.T, workers int) *echoServer {
	t.Helper()
	var ws []*uv.Loop
	for range workers {
		ws = append(ws, uvtest.NewLoop(t))
	}
	srv, err := startEchoServer(uvtest.NewLoop(t), ws...)
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, srv.Close()) })
	return srv
}

func dialEcho(t *testing.T, srv *echoServer) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", srv.Addr())
	require.NoError(t, err)
	c.SetDeadline(time.Now().Add(wait))
	return c
}

// Many clients at once, each sending while it reads: every byte comes back
// in order, and the connections were dealt out round robin.
func TestEchoServerManyClients(t *testing.T) {
	const workers = 3
	conns, size := 300, 64<<10
	if testing.Short() {
		conns = 60
	}
	srv := newEchoServer(t, workers)
	var wg sync.WaitGroup
	for i := range conns {
		wg.Go(func() {
			c, err := net.Dial("tcp", srv.Addr())
			if !assert.NoError(t, err) {
				return
			}
			defer c.Close()
			c.SetDeadline(time.Now().Add(wait))
			want := make([]byte, size)
			for k := range want {
				want[k] = byte(i*31 + k*7 + k>>8)
			}
			// Chunks of changing sizes, so reads and writes never line up.
			checkEcho(t, c, nil, want, func(n int) int { return n*3%4093 + 1 }, fmt.Sprintf("conn %d", i))
		})
	}
	wg.Wait()
	for k := range workers {
		n := srv.served[k].Load()
		assert.True(t, n == int64(conns/workers) || n == int64(conns/workers+1),
			"worker %d was handed %d of %d connections", k, n, conns)
	}
}

// A client that sends a lot before it reads, then half-closes: the worker
// has queued much of the echo when it sees the end, and writes it all before
// it closes.
func TestEchoServerHalfClose(t *testing.T) {
	srv := newEchoServer(t, 2)
	for range 4 {
		c := dialEcho(t, srv)
		want := bytes.Repeat([]byte("0123456789abcdef"), 256<<10/16)
		got := make(chan []byte, 1)
		go func() {
			b, _ := io.ReadAll(c)
			got <- b
		}()
		_, err := c.Write(want)
		require.NoError(t, err)
		require.NoError(t, c.(*net.TCPConn).CloseWrite())
		b := <-got
		assert.True(t, bytes.Equal(want, b), "echoed %d of %d bytes", len(b), len(want))
		c.Close()
	}
}

// Closing the server closes the connections its workers still serve.
func TestEchoServerCloseEndsConnections(t *testing.T) {
	srv := newEchoServer(t, 2)
	var cs []net.Conn
	for range 4 {
		c := dialEcho(t, srv)
		defer c.Close()
		_, err := c.Write([]byte("x"))
		require.NoError(t, err)
		_, err = io.ReadFull(c, make([]byte, 1))
		require.NoError(t, err)
		cs = append(cs, c)
	}
	require.NoError(t, srv.Close())
	for _, c := range cs {
		_, err := c.Read(make([]byte, 1))
		assert.ErrorIs(t, err, io.EOF)
	}
}

// A client that sends 64 MiB before it reads anything: the server stops
// reading it while its echo is queued above the high-water mark, so what it
// queues stays bounded, and every byte still comes back in order. Without
// the pause the server would read on and queue nearly all 64 MiB.
func TestEchoServerBackpressureBoundsTheQueue(t *testing.T) {
	const (
		highWater = 256 << 10
		total     = 64 << 20
		chunk     = 256 << 10
	)
	srv, err := startServer(echoOptions{highWater: highWater}, uvtest.NewLoop(t), uvtest.NewLoop(t))
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, srv.Close()) })
	c := dialEcho(t, srv)
	defer c.Close()
	want := make([]byte, total)
	for i := range want {
		want[i] = byte(i*13 + i>>16)
	}
	var werr error
	wrote := make(chan struct{})
	go func() {
		defer close(wrote)
		for off := 0; off < total && werr == nil; off += chunk {
			_, werr = c.Write(want[off : off+chunk])
		}
	}()
	// Read only once the server has paused this client, or the client has
	// sent everything (only possible if the server read it all).
	for srv.pauses.Load() == 0 {
		select {
		case <-wrote:
		case <-time.After(time.Millisecond):
			continue
		}
		break
	}
	got := make([]byte, total)
	_, err = io.ReadFull(c, got)
	require.NoError(t, err)
	<-wrote
	assert.NoError(t, werr)
	assert.True(t, bytes.Equal(want, got), "64 MiB echoed in order")
	assert.Positive(t, srv.pauses.Load(), "the server paused the client")
	assert.LessOrEqual(t, srv.maxQueued.Load(), int64(highWater+uv.DefaultReadBufferSize),
		"queued at most the high-water mark and one read's echo")
}

// The work server of BenchmarkWorkServer answers each request, however the
// bytes are split, with that request's work, in order, on either worker.
func TestWorkServerRepliesWithTheWork(t *testing.T) {
	srv, err := startServer(echoOptions{reply: workReplier(workRounds)}, uvtest.NewLoop(t), uvtest.NewLoop(t), uvtest.NewLoop(t))
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, srv.Close()) })
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			c := dialEcho(t, srv)
			defer c.Close()
			const n = 50
			reqs := make([]byte, n*workReq)
			for k := range reqs {
				reqs[k] = byte(i*7 + k*3)
			}
			var want []byte
			for k := range n {
				want = append(want, work(reqs[k*workReq:(k+1)*workReq], workRounds)...)
			}
			go func() {
				for off, k := 0, 1; off < len(reqs); off, k = off+k, k%61+1 {
					c.Write(reqs[off:min(off+k, len(reqs))])
				}
			}()
			got := make([]byte, len(want))
			_, err := io.ReadFull(c, got)
			assert.NoError(t, err)
			assert.Equal(t, want, got, "client %d", i)
		})
	}
	wg.Wait()
}
