package netipc_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/ipc/netipc"
	"github.com/uvpipe/uvpipe/ipc/netipc/wire"
)

// Connections that send CONNECTION and then the tag of a packet at the size
// limit, and nothing more, cost the server what they sent, not what they
// announced: 1,000 of them grow its heap by less than 64 MiB (the
// goroutine mode's reader allocated the announced size: 16 GB).
func TestServerAnnouncedPacketsAllocateNothing(t *testing.T) {
	for _, onLoop := range []bool{false, true} {
		t.Run(map[bool]string{false: "goroutine", true: "loop"}[onLoop], func(t *testing.T) {
			// The half-sent packets must outlive the dialling of all the
			// connections, however slow (under Wine it takes longer than
			// the default PacketTimeout, which then drops the first ones).
			s := startServer(t, netipc.ServerOptions{HandleOnLoop: onLoop, PacketTimeout: time.Hour})
			const conns = 1000
			var before, during runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			raws := make([]*rawConn, conns)
			for i := range raws {
				// CONNECTION and the tag in one write: the server holds the
				// tag when it lists the connection, and goes on to it.
				raws[i] = dialRaw(t, s.Addr().String())
				b := append([]byte(wire.Preamble), wire.AppendPacketTag(nil, len(`{"t":0}`))...)
				b = append(append(b, `{"t":0}`...), wire.AppendPacketTag(nil, wire.DefaultMaxPacketSize)...)
				_, err := raws[i].c.Write(append(b, `{"t":1,"d":"`...))
				require.NoError(t, err)
				p, err := raws[i].r.ReadPacket() // the answer: one dial at a time
				require.NoError(t, err)
				require.Equal(t, wire.PacketConnection, p.Type)
			}
			waitFor(t, func() bool { return len(s.Connections()) == conns })
			runtime.GC()
			runtime.ReadMemStats(&during)
			for _, r := range raws {
				r.c.Close()
			}
			waitFor(t, func() bool { return len(s.Connections()) == 0 })
			grew := int64(during.HeapAlloc) - int64(before.HeapAlloc)
			t.Logf("heap growth with %d connections inside a 16 MiB packet: %d KiB", conns, grew>>10)
			assert.Less(t, grew, int64(64<<20), "heap growth with %d connections each announcing 16 MiB", conns)
		})
	}
}

// A subscriber that never reads (a raw socket with a small receive buffer)
// does not hold up its publisher, in either mode: 10,000 publications of
// 1 KiB all succeed, the subscriber is dropped as a slow consumer (its
// disconnect reason says so), and what waits for it stays bounded.
func TestServerDropsSlowConsumer(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("not on Windows: the test shrinks the slow client's socket receive buffer, which a named pipe does not have")
	}
	for _, onLoop := range []bool{false, true} {
		t.Run(map[bool]string{false: "goroutine", true: "loop"}[onLoop], func(t *testing.T) {
			var mu sync.Mutex
			reasons := map[string]string{}
			s := startServer(t, netipc.ServerOptions{HandleOnLoop: onLoop,
				OnDisconnect: func(c *netipc.ServerConn, reason string) {
					mu.Lock()
					reasons[c.ID()] = reason
					mu.Unlock()
				}})
			sub := dialRaw(t, s.Addr().String())
			require.NoError(t, sub.c.(*net.UnixConn).SetReadBuffer(1024))
			sub.connect("sleeper")
			sub.send(`{"t":2,"d":{"sub":"news"},"n":"s1"}`)
			sub.expect(`{"t":3,"d":{"result":true},"n":"s1"}`)

			pub, err := netipc.Dial(context.Background(), netipc.ClientOptions{Path: s.Addr().String(), NoReconnect: true})
			require.NoError(t, err)
			defer pub.Close()
			msg := strings.Repeat("x", 1024)
			rssBefore := rss(t)
			var wg sync.WaitGroup
			for range 4 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := 0; i < 2500; i++ {
						if err := pub.Publish(context.Background(), "news", msg); err != nil {
							t.Errorf("publication %d: %v", i, err)
							return
						}
					}
				}()
			}
			wg.Wait()
			grew := rss(t) - rssBefore
			t.Logf("RSS growth over 10,000 publications to a subscriber that never reads: %d KiB", grew>>10)
			assert.Less(t, grew, int64(128<<20))
			waitFor(t, func() bool {
				mu.Lock()
				defer mu.Unlock()
				_, ok := reasons["sleeper"]
				return ok
			})
			mu.Lock()
			assert.Contains(t, reasons["sleeper"], "slow consumer")
			mu.Unlock()
			_, err = pub.Ping(context.Background())
			require.NoError(t, err, "the publisher is served on")
		})
	}
}

// rss is the process's resident set size.
func rss(t *testing.T) int64 {
	b, err := os.ReadFile("/proc/self/statm")
	require.NoError(t, err)
	var size, res int64
	_, err = fmtSscan(string(b), &size, &res)
	require.NoError(t, err)
	return res * int64(os.Getpagesize())
}

// A second server on the path of a live one fails with EADDRINUSE, and the
// first stays reachable; a stale socket file (nobody listening) is
// replaced. On Windows the path is a named pipe (Wine lets a second server
// create instances of a live one's pipe, so Listen checks first), which
// leaves no stale file: once the first has closed, the name is free.
func TestServerNoTakeover(t *testing.T) {
	path := sockPath(t)
	first := startServer(t, netipc.ServerOptions{Path: path})
	_, err := netipc.Listen(netipc.ServerOptions{Path: path})
	require.Error(t, err)
	assert.True(t, errors.Is(err, syscall.EADDRINUSE), "second Listen: %v", err)
	c, err := netipc.Dial(context.Background(), netipc.ClientOptions{Path: path, NoReconnect: true})
	require.NoError(t, err, "the first server is still reachable")
	_, err = c.Ping(context.Background())
	require.NoError(t, err)
	require.NoError(t, c.Close())
	require.NoError(t, first.Close())

	if runtime.GOOS == "windows" {
		s, err := netipc.Listen(netipc.ServerOptions{Path: path})
		require.NoError(t, err, "the name is free once its server closed")
		require.NoError(t, s.Close())
		return
	}
	// A socket file nobody listens on is taken over.
	l, err := net.Listen("unix", path)
	require.NoError(t, err)
	l.(*net.UnixListener).SetUnlinkOnClose(false)
	l.Close()
	s, err := netipc.Listen(netipc.ServerOptions{Path: path})
	require.NoError(t, err)
	require.NoError(t, s.Close())
}

// A client beyond MaxConnections learns why it is refused.
func TestServerMaxConnections(t *testing.T) {
	s := startServer(t, netipc.ServerOptions{MaxConnections: 1})
	a, err := netipc.Dial(context.Background(), netipc.ClientOptions{Path: s.Addr().String(), NoReconnect: true})
	require.NoError(t, err)
	defer a.Close()
	_, err = netipc.Dial(context.Background(), netipc.ClientOptions{Path: s.Addr().String(), NoReconnect: true})
	var end *netipc.EndError
	require.ErrorAs(t, err, &end)
	assert.Equal(t, "netipc: too many connections", end.Reason)
}

// A request nested deeper than the decoder takes is answered with an error
// RESPONSE, not left to time out.
func TestServerRefusesTooDeepRequest(t *testing.T) {
	for _, onLoop := range []bool{false, true} {
		t.Run(map[bool]string{false: "goroutine", true: "loop"}[onLoop], func(t *testing.T) {
			s := startServer(t, netipc.ServerOptions{HandleOnLoop: onLoop})
			r := dialRaw(t, s.Addr().String())
			r.connect("deep")
			deep := strings.Repeat("[", 20000) + strings.Repeat("]", 20000)
			r.send(`{"t":2,"d":` + deep + `,"n":"d1"}`)
			p, err := r.r.ReadPacket()
			require.NoError(t, err)
			assert.Equal(t, wire.PacketResponse, p.Type)
			assert.Equal(t, "d1", p.Nonce)
			var e struct{ Error string }
			require.NoError(t, json.Unmarshal(p.Data, &e))
			assert.Contains(t, e.Error, "depth")
			r.send(`{"t":4,"n":"g"}`)
			r.expect(`{"t":5,"n":"g"}`)
		})
	}
}

// A connected client that begins a packet and stalls is closed after
// PacketTimeout, with ErrPacketTimeout.
func TestServerPacketTimeout(t *testing.T) {
	for _, onLoop := range []bool{false, true} {
		t.Run(map[bool]string{false: "goroutine", true: "loop"}[onLoop], func(t *testing.T) {
			errs := make(chan error, 4)
			s := startServer(t, netipc.ServerOptions{HandleOnLoop: onLoop, PacketTimeout: 50e6,
				OnError: func(_ *netipc.ServerConn, err error) { errs <- err }})
			r := dialRaw(t, s.Addr().String())
			r.connect("slow")
			_, err := r.c.Write(append(wire.AppendPacketTag(nil, 100), `{"t":1`...))
			require.NoError(t, err)
			require.ErrorIs(t, <-errs, netipc.ErrPacketTimeout)
			_, err = r.r.ReadPacket()
			require.Error(t, err, "the connection is closed")
		})
	}
}

func fmtSscan(s string, a ...any) (int, error) { return fmt.Sscan(s, a...) }
