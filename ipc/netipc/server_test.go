package netipc_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uvpipe/uvpipe/ipc/netipc"
	"github.com/uvpipe/uvpipe/ipc/netipc/wire"
)

// pipeSeq numbers the pipe names sockPath gives on Windows.
var pipeSeq atomic.Uint64

// sockPath is a short socket path in a fresh directory; on Windows a fresh
// name, which ResolvePath (and a JavaScript peer given it) maps to a named
// pipe.
func sockPath(t *testing.T) string {
	if runtime.GOOS == "windows" {
		return fmt.Sprintf("uvpipe-nipc-%d-%d", os.Getpid(), pipeSeq.Add(1))
	}
	dir, err := os.MkdirTemp("", "nipc")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return filepath.Join(dir, "s")
}

func startServer(t *testing.T, opts netipc.ServerOptions) *netipc.Server {
	t.Helper()
	if opts.Path == "" {
		opts.Path = sockPath(t)
	}
	opts.HandleOnLoop = opts.HandleOnLoop || serveOnLoop
	s, err := netipc.Listen(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Shutdown(false) })
	return s
}

// rawConn is a client speaking bytes, for asserting the wire.
type rawConn struct {
	t *testing.T
	c net.Conn
	r *wire.PacketReader
}

func dialRaw(t *testing.T, path string) *rawConn {
	t.Helper()
	c, err := dialRawConn(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(20 * time.Second))
	return &rawConn{t: t, c: c, r: wire.NewPacketReader(c, 0)}
}

func (r *rawConn) send(s string) {
	r.t.Helper()
	b := append(wire.AppendPacketTag(nil, len(s)), s...)
	if _, err := r.c.Write(b); err != nil {
		r.t.Fatal(err)
	}
}

// expect reads one packet and compares its JSON text, as the server wrote it.
func (r *rawConn) expect(want string) {
	r.t.Helper()
	p, err := r.r.ReadPacket()
	if err != nil {
		r.t.Fatalf("reading for %s: %v", want, err)
	}
	got, _ := wire.AppendPacket(nil, p)
	wantB := append(wire.AppendPacketTag(nil, len(want)), want...)
	if string(got) != string(wantB) {
		r.t.Fatalf("got %q, want %q", got, wantB)
	}
}

func (r *rawConn) connect(id string) {
	r.t.Helper()
	if _, err := r.c.Write([]byte("IPC")); err != nil {
		r.t.Fatal(err)
	}
	r.send(`{"t":0,"d":{"extras":{"token":"abc"},"id":"` + id + `"}}`)
	r.expect(`{"t":0,"d":{"id":"` + id + `"}}`)
}

// The pub/sub flows of the reference (§3.6), byte for byte.
func TestServerPubSubBytes(t *testing.T) {
	s := startServer(t, netipc.ServerOptions{})
	a, b := dialRaw(t, s.Addr().String()), dialRaw(t, s.Addr().String())
	a.connect("a1")
	b.connect("b1")
	a.send(`{"t":2,"d":{"sub":"ev"},"n":"n1"}`)
	a.expect(`{"t":3,"d":{"result":true},"n":"n1"}`)
	a.send(`{"t":2,"d":{"sub":["ev","x"]},"n":"n2"}`)
	a.expect(`{"t":3,"d":{"result":true},"n":"n2"}`)
	a.send(`{"t":2,"d":{"sub":"ev"},"n":"n3"}`)
	a.expect(`{"t":3,"d":{"result":false},"n":"n3"}`)
	b.send(`{"t":2,"d":{"pub":"ev","message":{"hi":1}},"n":"p1"}`)
	a.expect(`{"t":1,"d":{"pub":"ev","message":{"hi":1}}}`)
	b.expect(`{"t":3,"d":{"result":true},"n":"p1"}`)
	// The publisher subscribed gets its own message before its RESPONSE.
	a.send(`{"t":2,"d":{"pub":"x","message":"m"},"n":"p2"}`)
	a.expect(`{"t":1,"d":{"pub":"x","message":"m"}}`)
	a.expect(`{"t":3,"d":{"result":true},"n":"p2"}`)
	a.send(`{"t":2,"d":{"unsub":["ev","x"]},"n":"u1"}`)
	a.expect(`{"t":3,"d":{"result":true},"n":"u1"}`)
	// A request no handler answers gets an empty RESPONSE.
	a.send(`{"t":2,"d":{"q":1},"n":"r1"}`)
	a.expect(`{"t":3,"n":"r1"}`)
	a.send(`{"t":4,"d":7,"n":"g1"}`)
	a.expect(`{"t":5,"d":7,"n":"g1"}`)
	// Subscriptions go with their connection: b subscribes, leaves, a publishes.
	b.send(`{"t":2,"d":{"sub":"ev"},"n":"s"}`)
	b.expect(`{"t":3,"d":{"result":true},"n":"s"}`)
	b.c.Close()
	waitFor(t, func() bool { return len(s.Connections()) == 1 })
	if err := s.Publish("ev", 1); err != nil {
		t.Fatal(err)
	}
	a.send(`{"t":2,"d":{"pub":"ev","message":2},"n":"p3"}`)
	a.expect(`{"t":3,"d":{"result":true},"n":"p3"}`)
}

// waitFor waits for cond, for 20 s times testScale.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	limit := testScale() * 20 * time.Second
	for deadline := time.Now().Add(limit); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("condition not met in %v", limit)
		}
	}
}

// testScale multiplies the tests' deadlines where everything runs slower:
// UVPIPE_TEST_SCALE, which the Windows stage sets for Wine; 1 by default.
func testScale() time.Duration {
	if n, err := strconv.Atoi(os.Getenv("UVPIPE_TEST_SCALE")); err == nil && n > 1 {
		return time.Duration(n)
	}
	return 1
}

func TestServerBadInput(t *testing.T) {
	var mu sync.Mutex
	var errs []error
	s := startServer(t, netipc.ServerOptions{MaxPacketSize: 1000, OnError: func(_ *netipc.ServerConn, err error) {
		mu.Lock()
		errs = append(errs, err)
		mu.Unlock()
	}})
	path := s.Addr().String()

	// A bad preamble: 404 and a close.
	r := dialRaw(t, path)
	r.c.Write([]byte("GET / HTTP/1.1\r\n\r\n"))
	got, err := io.ReadAll(r.c)
	if err != nil || string(got) != "HTTP/1.1 404 Not Found" {
		t.Fatalf("bad preamble: %q, %v", got, err)
	}

	// A GET upgrade to another protocol: 404 and a close.
	r = dialRaw(t, path)
	r.c.Write([]byte("GET / HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n"))
	got, err = io.ReadAll(r.c)
	if err != nil || string(got) != "HTTP/1.1 404 Not Found" {
		t.Fatalf("upgrade to websocket: %q, %v", got, err)
	}

	// A bad packet is an error and the stream stays in sync.
	r = dialRaw(t, path)
	r.connect("c1")
	r.send(`{bad`)
	r.send(`{"t":4,"n":"g"}`)
	r.expect(`{"t":5,"n":"g"}`)

	// An oversized length is refused before the payload: the server closes.
	r.c.Write([]byte{0x3d, 0x04, 0xc0})
	if _, err := r.r.ReadPacket(); err != io.EOF {
		t.Fatalf("after an oversized tag: %v, want EOF", err)
	}

	// Data before CONNECTION: an error, END and close.
	r = dialRaw(t, path)
	r.c.Write([]byte("IPC"))
	r.send(`{"t":1,"d":1}`)
	r.expect(`{"t":6,"d":{"m":"closing orphaned connection","a":false}}`)
	if _, err := r.r.ReadPacket(); err != io.EOF {
		t.Fatalf("after END: %v", err)
	}
	waitFor(t, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(errs) >= 5
	})
	mu.Lock()
	defer mu.Unlock()
	var pe *wire.PacketError
	if !errors.Is(errs[0], netipc.ErrBadPreamble) || !errors.Is(errs[1], netipc.ErrBadPreamble) || !errors.As(errs[2], &pe) || !errors.Is(errs[3], wire.ErrPacketTooLarge) || !errors.Is(errs[4], netipc.ErrPrematurePacket) {
		t.Fatalf("errors: %v", errs)
	}
}

func TestServerConnectionTimeout(t *testing.T) {
	s := startServer(t, netipc.ServerOptions{ConnectionTimeout: 50 * time.Millisecond})
	r := dialRaw(t, s.Addr().String())
	r.c.Write([]byte("IPC"))
	if _, err := io.ReadAll(r.c); err != nil {
		t.Fatal(err)
	}
}

func TestServerClientGo(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	got := make(chan string, 10)
	s := startServer(t, netipc.ServerOptions{
		OnConnect: func(c *netipc.ServerConn, extras json.RawMessage) error {
			if string(extras) == `"bad"` {
				return errors.New("go away")
			}
			return nil
		},
		OnMessage: func(c *netipc.ServerConn, d json.RawMessage) { got <- "msg " + string(d) },
		OnRequest: []func(*netipc.ServerConn, json.RawMessage, func(any) error) bool{
			func(c *netipc.ServerConn, req json.RawMessage, reply func(any) error) bool {
				if string(req) == `"stop"` {
					return true // answered later, elsewhere
				}
				return false
			},
			func(c *netipc.ServerConn, req json.RawMessage, reply func(any) error) bool {
				reply(map[string]json.RawMessage{"echo": req})
				return true
			},
		},
		OnDisconnect: func(c *netipc.ServerConn, reason string) { got <- "bye " + reason },
	})
	path := s.Addr().String()
	if _, err := netipc.Dial(ctx, netipc.ClientOptions{Path: path, Extras: "bad"}); err == nil {
		t.Fatal("rejected client connected")
	}
	pubs := make(chan string, 1)
	c, err := netipc.Dial(ctx, netipc.ClientOptions{Path: path, ID: "mine", OnPublish: func(topic string, m json.RawMessage) {
		pubs <- topic + " " + string(m)
	}})
	if err != nil {
		t.Fatal(err)
	}
	if c.ID() != "mine" {
		t.Fatalf("id %q", c.ID())
	}
	c.Send([]int{1, 2})
	if m := <-got; m != "msg [1,2]" {
		t.Fatal(m)
	}
	resp, err := c.Request(ctx, 5)
	if err != nil || string(resp) != `{"echo":5}` {
		t.Fatalf("request: %s %v", resp, err)
	}
	short, cancelShort := context.WithTimeout(ctx, 50*time.Millisecond)
	_, err = c.Request(short, "stop")
	cancelShort()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("unanswered request: %v", err)
	}
	if _, err := c.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	if res := s.Ping(ctx); len(res) != 1 || res[0].Err != nil {
		t.Fatalf("server ping: %+v", res)
	}
	if ok, err := c.Subscribe(ctx, "t"); !ok || err != nil {
		t.Fatal(ok, err)
	}
	if err := c.Publish(ctx, "t", "hello"); err != nil {
		t.Fatal(err)
	}
	if p := <-pubs; p != `t "hello"` {
		t.Fatal(p)
	}
	if err := c.Shutdown(ctx, "done"); err != nil {
		t.Fatal(err)
	}
	if m := <-got; m != "bye done" {
		t.Fatal(m)
	}

	// Server Close sends END with allowReconnect.
	c, err = netipc.Dial(ctx, netipc.ClientOptions{Path: path, NoReconnect: true})
	if err != nil {
		t.Fatal(err)
	}
	s.Shutdown(true)
	<-c.Done()
	if r, a := c.EndReason(); r != "Server was shut down" || !a {
		t.Fatalf("end %q %v", r, a)
	}
	c.Destroy()
}
