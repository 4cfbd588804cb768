package netipc_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/uvpipe/uvpipe/ipc/netipc"
	"github.com/uvpipe/uvpipe/ipc/netipc/wire"
)

// statusLog records a client's statuses.
type statusLog chan netipc.ClientStatus

func newStatusLog() statusLog { return make(statusLog, 256) }

func (l statusLog) record(s netipc.ClientStatus) { l <- s }

// expect reads the next statuses and compares them with want.
func (l statusLog) expect(t *testing.T, want ...netipc.ClientStatus) {
	t.Helper()
	var got []netipc.ClientStatus
	for range want {
		got = append(got, receive(t, l, want))
	}
	if !slices.Equal(got, want) {
		t.Fatalf("statuses %v, want %v", got, want)
	}
}

const (
	idle         = netipc.ClientIdle
	connecting   = netipc.ClientConnecting
	connected    = netipc.ClientConnected
	ready        = netipc.ClientReady
	disconnected = netipc.ClientDisconnected
	reconnecting = netipc.ClientReconnecting
)

// fastRetry reconnects quickly, with room for a server restart.
func fastRetry(o netipc.ClientOptions) netipc.ClientOptions {
	o.Retries, o.RetryIncrement, o.MaxRetryDelay = 10, 20*time.Millisecond, 200*time.Millisecond
	return o
}

func TestClientStatusNames(t *testing.T) {
	var names []string
	for s := idle; s <= reconnecting; s++ {
		names = append(names, s.String())
	}
	if got := strings.Join(names, " "); got != "idle connecting connected ready disconnected reconnecting" {
		t.Fatal(got)
	}
	if s := netipc.ClientStatus(9).String(); s != "ClientStatus(9)" {
		t.Fatal(s)
	}
}

// The server restarts (Close with allowReconnect, a new server on the same
// path) while clients are connected: each reconnects with its id,
// re-subscribes, and a request made while it reconnects goes through;
// a request in flight when the server went fails.
func TestClientReconnectsToRestartedServer(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	path := sockPath(t)
	held := make(chan struct{}, 1)
	hold := []func(*netipc.ServerConn, json.RawMessage, func(any) error) bool{
		func(c *netipc.ServerConn, req json.RawMessage, reply func(any) error) bool {
			if string(req) == `"hold"` {
				held <- struct{}{}
				return true // never answered
			}
			reply(req)
			return true
		},
	}
	a := startServer(t, netipc.ServerOptions{Path: path, OnRequest: hold})
	const n = 5
	type client struct {
		c      *netipc.Client
		status statusLog
		pubs   chan string
	}
	var cs []client
	for range n {
		cl := client{status: newStatusLog(), pubs: make(chan string, 8)}
		var err error
		cl.c, err = netipc.Dial(ctx, fastRetry(netipc.ClientOptions{Path: path, OnStatus: cl.status.record,
			OnPublish: func(topic string, m json.RawMessage) { cl.pubs <- topic + " " + string(m) }}))
		if err != nil {
			t.Fatal(err)
		}
		defer cl.c.Destroy()
		cl.status.expect(t, connecting, connected, ready)
		if _, err := cl.c.Subscribe(ctx, "news", "weather"); err != nil {
			t.Fatal(err)
		}
		cs = append(cs, cl)
	}
	if _, err := cs[0].c.Unsubscribe(ctx, "news"); err != nil {
		t.Fatal(err)
	}
	inFlight := make(chan error, 1)
	go func() {
		_, err := cs[0].c.Request(ctx, "hold")
		inFlight <- err
	}()
	<-held
	ids := map[string]bool{}
	for _, cl := range cs {
		ids[cl.c.ID()] = true
	}

	a.Shutdown(true)
	if err := <-inFlight; !errors.Is(err, netipc.ErrConnClosed) {
		t.Fatalf("request in flight when the server closed: %v", err)
	}
	for _, cl := range cs {
		cl.status.expect(t, disconnected, reconnecting)
	}
	during := make(chan error, 1)
	go func() {
		r, err := cs[1].c.Request(ctx, "during")
		if err == nil && string(r) != `"during"` {
			err = errors.New("answer " + string(r))
		}
		during <- err
	}()
	reconnected := make(chan string, n)
	b := startServer(t, netipc.ServerOptions{Path: path, OnRequest: hold,
		OnConnect: func(c *netipc.ServerConn, _ json.RawMessage) error {
			reconnected <- c.ID()
			return nil
		}})
	for _, cl := range cs {
		waitStatus(t, cl.status, ready)
	}
	for range n {
		if id := <-reconnected; !ids[id] {
			t.Fatalf("reconnected as %q, not one of %v", id, ids)
		}
	}
	if err := <-during; err != nil {
		t.Fatalf("request made while reconnecting: %v", err)
	}
	// Publications go out in order on each connection: a client that
	// re-subscribed to news gets it before the weather, the one that had
	// dropped news gets the weather first.
	if err := b.Publish("news", "n"); err != nil {
		t.Fatal(err)
	}
	if err := b.Publish("weather", "rain"); err != nil {
		t.Fatal(err)
	}
	for i, cl := range cs {
		want := []string{"news", "weather"}
		if i == 0 {
			want = want[1:]
		}
		if got := cl.c.Subscriptions(); !slices.Equal(got, want) {
			t.Fatal(got)
		}
		if p := receive(t, cl.pubs, want[0]); !strings.HasPrefix(p, want[0]+" ") {
			t.Fatalf("client %d got %s first, want %s", i, p, want[0])
		}
	}
}

// waitStatus reads statuses until want; it allows failed attempts before.
func waitStatus(t *testing.T, l statusLog, want netipc.ClientStatus) {
	t.Helper()
	for receive(t, l, want) != want {
	}
}

// A connection that drops without END is dialled again, and the new
// CONNECTION asks for the id the server gave (checked on the raw bytes).
func TestClientReconnectsAfterDrop(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	path := sockPath(t)
	ln, err := listenRaw(path)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	hellos := make(chan string, 2)
	go func() {
		for i := 0; i < 2; i++ {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			r := &rawConn{t: t, c: conn, r: wire.NewPacketReader(conn, 0)}
			var pre [3]byte
			if _, err := conn.Read(pre[:]); err != nil {
				return
			}
			p, err := r.r.ReadPacket()
			if err != nil {
				return
			}
			hellos <- string(p.Data)
			b, _ := wire.AppendPacket(nil, wire.Packet{Type: wire.PacketConnection, Data: json.RawMessage(`{"id":"given"}`)})
			conn.Write(b)
			if i == 0 {
				conn.Close() // dropped, no END
			} else {
				defer conn.Close()
				p, _ = r.r.ReadPacket() // the client's END
				hellos <- string(p.Data)
			}
		}
	}()
	log := newStatusLog()
	c, err := netipc.Dial(ctx, fastRetry(netipc.ClientOptions{Path: path, Extras: "x", OnStatus: log.record}))
	if err != nil {
		t.Fatal(err)
	}
	log.expect(t, connecting, connected, ready, disconnected, reconnecting, idle, connecting, connected, ready)
	for _, want := range []string{`{"extras":"x"}`, `{"extras":"x","id":"given"}`} {
		if h := <-hellos; h != want {
			t.Fatalf("CONNECTION %s, want %s", h, want)
		}
	}
	if err := c.Shutdown(ctx, "bye"); err != nil {
		t.Fatal(err)
	}
	if h := <-hellos; h != `{"m":"bye","a":false}` {
		t.Fatal(h)
	}
	log.expect(t, disconnected, idle)
}

// No reconnect after END without allowReconnect, with NoReconnect, after a
// refusal while reconnecting, or once the retries are spent.
func TestClientDoesNotReconnect(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	connectAndClose := func(t *testing.T, opts netipc.ClientOptions, allow bool) (*netipc.Client, statusLog, string) {
		path := sockPath(t)
		s := startServer(t, netipc.ServerOptions{Path: path})
		log := newStatusLog()
		opts.Path, opts.OnStatus = path, log.record
		c, err := netipc.Dial(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		log.expect(t, connecting, connected, ready)
		s.Shutdown(allow)
		return c, log, path
	}
	done := func(t *testing.T, c *netipc.Client, reason string, allow bool) {
		t.Helper()
		select {
		case <-c.Done():
		case <-ctx.Done():
			t.Fatal("client still running")
		}
		if r, a := c.EndReason(); r != reason || a != allow {
			t.Fatalf("end %q %v", r, a)
		}
		if _, err := c.Request(ctx, 1); !errors.Is(err, netipc.ErrConnClosed) {
			t.Fatalf("request after the end: %v", err)
		}
		if c.Status() != idle {
			t.Fatal(c.Status())
		}
	}
	t.Run("EndWithoutReconnect", func(t *testing.T) {
		c, log, _ := connectAndClose(t, fastRetry(netipc.ClientOptions{}), false)
		log.expect(t, disconnected, idle)
		done(t, c, "Server was shut down", false)
	})
	t.Run("NoReconnect", func(t *testing.T) {
		c, log, _ := connectAndClose(t, netipc.ClientOptions{NoReconnect: true}, true)
		log.expect(t, disconnected, idle)
		done(t, c, "Server was shut down", true)
	})
	t.Run("Refused", func(t *testing.T) {
		c, log, path := connectAndClose(t, fastRetry(netipc.ClientOptions{}), true)
		log.expect(t, disconnected, reconnecting)
		startServer(t, netipc.ServerOptions{Path: path, OnConnect: func(*netipc.ServerConn, json.RawMessage) error {
			return errors.New("go away")
		}})
		waitStatus(t, log, connected)
		log.expect(t, disconnected, idle)
		done(t, c, "go away", false)
	})
	t.Run("RetriesSpent", func(t *testing.T) {
		opts := netipc.ClientOptions{Retries: 2, RetryIncrement: time.Millisecond}
		c, log, _ := connectAndClose(t, opts, true)
		log.expect(t, disconnected,
			reconnecting, idle, connecting, disconnected,
			reconnecting, idle, connecting, disconnected,
			reconnecting, idle)
		done(t, c, "Server was shut down", true)
	})
}

// Close and Destroy while the client waits to reconnect end it at once.
func TestClientCloseWhileReconnecting(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for _, destroy := range []bool{false, true} {
		path := sockPath(t)
		s := startServer(t, netipc.ServerOptions{Path: path})
		log := newStatusLog()
		c, err := netipc.Dial(ctx, netipc.ClientOptions{Path: path, OnStatus: log.record, RetryIncrement: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		s.Shutdown(true)
		log.expect(t, connecting, connected, ready, disconnected, reconnecting)
		if destroy {
			c.Destroy()
		} else if err := c.Shutdown(ctx, "bye"); err != nil {
			t.Fatal(err)
		}
		log.expect(t, idle)
		if c.Status() != idle {
			t.Fatal(c.Status())
		}
	}
}
