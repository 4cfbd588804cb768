package netipc_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"runtime"
	"slices"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/uvpipe/uvpipe/ipc/netipc"
	"github.com/uvpipe/uvpipe/ipc/netipc/wire"
)

// connectResult is what Dial returned, from its own goroutine.
type connectResult struct {
	c   *netipc.Client
	err error
}

// connectAsync runs Dial in a goroutine.
func connectAsync(ctx context.Context, opts netipc.ClientOptions) <-chan connectResult {
	done := make(chan connectResult, 1)
	go func() {
		c, err := netipc.Dial(ctx, opts)
		done <- connectResult{c, err}
	}()
	return done
}

// failedRound is the statuses of a first connection that failed, up to the
// next attempt, as net-ipc's client goes through them.
var failedRound = []netipc.ClientStatus{connecting, disconnected, reconnecting, idle}

// statusesToReady reads statuses up to ready, calling first once the
// first attempt has failed (at the first reconnecting).
func statusesToReady(t *testing.T, l statusLog, first func()) []netipc.ClientStatus {
	t.Helper()
	var got []netipc.ClientStatus
	for len(got) == 0 || got[len(got)-1] != ready {
		got = append(got, receive(t, l, ready))
		if got[len(got)-1] == reconnecting && first != nil {
			first()
			first = nil
		}
	}
	return got
}

// checkRetriedReady checks a status sequence (Go's or net-ipc's): n ≥ 1
// failed rounds, then connecting, connected, ready; it returns n+1.
func checkRetriedReady(t *testing.T, got []netipc.ClientStatus) int {
	t.Helper()
	rest, rounds := got, 0
	for len(rest) >= len(failedRound) && slices.Equal(rest[:len(failedRound)], failedRound) {
		rest, rounds = rest[len(failedRound):], rounds+1
	}
	if rounds == 0 || !slices.Equal(rest, []netipc.ClientStatus{connecting, connected, ready}) {
		t.Fatalf("statuses %v: want (%v)+ then connecting connected ready", got, failedRound)
	}
	return rounds + 1
}

// The server appears only after the first attempt failed: Dial retries,
// as net-ipc's connect() does, and the client is then like any other.
func TestConnectRetriesUntilServerAppears(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	path := sockPath(t)
	log := newStatusLog()
	done := connectAsync(ctx, netipc.ClientOptions{Path: path, OnStatus: log.record, Retries: 50,
		RetryIncrement: 20 * time.Millisecond, MaxRetryDelay: 100 * time.Millisecond})
	var connects atomic.Int32
	got := statusesToReady(t, log, func() {
		startServer(t, netipc.ServerOptions{Path: path, OnConnect: func(*netipc.ServerConn, json.RawMessage) error {
			connects.Add(1)
			return nil
		}})
	})
	if n := checkRetriedReady(t, got); n < 2 {
		t.Fatalf("connected in %d attempts", n)
	}
	r := receive(t, done, "Dial")
	if r.err != nil {
		t.Fatal(r.err)
	}
	defer r.c.Destroy()
	if _, err := r.c.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	if n := connects.Load(); n != 1 {
		t.Fatalf("%d connections", n)
	}
}

// The server never appears: Dial gives up after Retries retries, as
// net-ipc's connect() does (one more back-off, then idle), with an error
// that wraps ErrRetriesSpent and the last dial's error; with NoReconnect it
// fails at once.
func TestConnectGivesUp(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	noFile := func(t *testing.T) string { return sockPath(t) }
	noListener := func(t *testing.T) string { // a socket file nobody listens on
		path := sockPath(t)
		ln, err := listenRaw(path)
		if err != nil {
			t.Fatal(err)
		}
		ln.(*net.UnixListener).SetUnlinkOnClose(false)
		ln.Close()
		return path
	}
	for _, tc := range []struct {
		name  string
		path  func(*testing.T) string
		errno syscall.Errno
	}{{"NoFile", noFile, syscall.ENOENT}, {"NoListener", noListener, syscall.ECONNREFUSED}} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name == "NoListener" && runtime.GOOS == "windows" {
				t.Skip("not on Windows: a named pipe leaves no file behind that nobody listens on")
			}
			log := newStatusLog()
			opts := netipc.ClientOptions{Path: tc.path(t), OnStatus: log.record, Retries: 2, RetryIncrement: time.Millisecond}
			_, err := netipc.Dial(ctx, opts)
			if !errors.Is(err, netipc.ErrRetriesSpent) || !errors.Is(err, tc.errno) {
				t.Fatalf("Dial: %v, want ErrRetriesSpent and %v", err, tc.errno)
			}
			want := slices.Concat(failedRound, failedRound, failedRound[:2], []netipc.ClientStatus{reconnecting, idle})
			log.expect(t, want...)
			if n := countStatus(want, connecting); n != 3 {
				t.Fatalf("%d attempts", n)
			}
			expectNoStatus(t, log)

			opts.NoReconnect = true
			_, err = netipc.Dial(ctx, opts)
			if errors.Is(err, netipc.ErrRetriesSpent) || !errors.Is(err, tc.errno) {
				t.Fatalf("Dial with NoReconnect: %v, want %v alone", err, tc.errno)
			}
			log.expect(t, connecting, disconnected, idle)
			expectNoStatus(t, log)
		})
	}
}

func countStatus(sts []netipc.ClientStatus, s netipc.ClientStatus) int {
	n := 0
	for _, x := range sts {
		if x == s {
			n++
		}
	}
	return n
}

// expectNoStatus checks that nothing more was reported (Dial returned,
// so its statuses are all in).
func expectNoStatus(t *testing.T, l statusLog) {
	t.Helper()
	select {
	case s := <-l:
		t.Fatalf("status %v after Dial returned", s)
	default:
	}
}

// A context that ends stops the retries, with the context's error, in the
// back-off or in an attempt.
func TestConnectRetriesStopWithContext(t *testing.T) {
	path := sockPath(t)
	ctx, cancel := context.WithCancel(context.Background())
	log := newStatusLog()
	done := connectAsync(ctx, netipc.ClientOptions{Path: path, OnStatus: log.record, Retries: 1000, RetryIncrement: time.Hour})
	log.expect(t, connecting, disconnected, reconnecting)
	cancel()
	r := receive(t, done, "Dial")
	if !errors.Is(r.err, context.Canceled) || r.c != nil {
		t.Fatalf("Dial: %v", r.err)
	}
	log.expect(t, idle)
	expectNoStatus(t, log)

	ctx, cancel = context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := netipc.Dial(ctx, netipc.ClientOptions{Path: path, OnStatus: log.record, Retries: 1 << 30, RetryIncrement: time.Millisecond, MaxRetryDelay: time.Millisecond})
	if !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, netipc.ErrRetriesSpent) {
		t.Fatalf("Dial: %v", err)
	}
	if sts := drained(log); len(sts) == 0 || sts[len(sts)-1] != idle {
		t.Fatalf("statuses %v, want idle last", sts)
	}
}

// drained is the statuses reported so far (all of them, once Dial
// returned).
func drained(l statusLog) []netipc.ClientStatus {
	var sts []netipc.ClientStatus
	for len(l) > 0 {
		sts = append(sts, <-l)
	}
	return sts
}

// A server that refuses without allowReconnect is not asked again; one
// that ends the handshake with allowReconnect is (net-ipc's client retries
// unless END's a is false).
func TestConnectRefusal(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var connects atomic.Int32
	s := startServer(t, netipc.ServerOptions{OnConnect: func(*netipc.ServerConn, json.RawMessage) error {
		connects.Add(1)
		return errors.New("go away")
	}})
	log := newStatusLog()
	_, err := netipc.Dial(ctx, fastRetry(netipc.ClientOptions{Path: s.Addr().String(), OnStatus: log.record}))
	var end *netipc.EndError
	if !errors.As(err, &end) || end.Reason != "go away" || end.AllowReconnect {
		t.Fatalf("Dial: %v", err)
	}
	log.expect(t, connecting, connected, disconnected, idle)
	if n := connects.Load(); n != 1 {
		t.Fatalf("%d connections", n)
	}

	path := sockPath(t)
	ln, err := listenRaw(path)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for i := 0; i < 2; i++ {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			defer conn.Close()
			r := wire.NewPacketReader(conn, 0)
			var pre [3]byte
			if _, err := conn.Read(pre[:]); err != nil {
				return
			}
			if _, err := r.ReadPacket(); err != nil {
				return
			}
			answer := wire.Packet{Type: wire.PacketConnection, Data: json.RawMessage(`{"id":"second"}`)}
			if i == 0 {
				answer = wire.Packet{Type: wire.PacketEnd, Data: json.RawMessage(`{"m":"later","a":true}`)}
			}
			b, _ := wire.AppendPacket(nil, answer)
			conn.Write(b)
			if i == 1 {
				io.Copy(io.Discard, conn) // until the client goes
			}
		}
	}()
	c, err := netipc.Dial(ctx, fastRetry(netipc.ClientOptions{Path: path, OnStatus: log.record}))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Destroy()
	log.expect(t, connecting, connected, disconnected, reconnecting, idle, connecting, connected, ready)
	if c.ID() != "second" {
		t.Fatal(c.ID())
	}
}
