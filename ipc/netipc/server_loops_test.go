package netipc_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"runtime/pprof"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uvpipe/uvpipe/ipc/netipc"
)

// A server spreading its connections over three loops serves each one
// (first bytes, requests, a broadcast) and closes them all.
func TestServerLoops(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	s := startServer(t, netipc.ServerOptions{Loops: 3,
		OnRequest: []func(*netipc.ServerConn, json.RawMessage, func(any) error) bool{
			func(c *netipc.ServerConn, req json.RawMessage, reply func(any) error) bool {
				reply(map[string]json.RawMessage{"from": json.RawMessage(strconv.Quote(c.ID())), "req": req})
				return true
			},
		}})
	const n = 7
	var cs []*netipc.Client
	got := make(chan string, n)
	for i := range n {
		c, err := netipc.Dial(ctx, netipc.ClientOptions{Path: s.Addr().String(), ID: "c" + strconv.Itoa(i), NoReconnect: true,
			OnMessage: func(d json.RawMessage) { got <- string(d) }})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Destroy()
		cs = append(cs, c)
	}
	for round := range 3 {
		for i, c := range cs {
			r, err := c.Request(ctx, round)
			want := `{"from":"c` + strconv.Itoa(i) + `","req":` + strconv.Itoa(round) + `}`
			if err != nil || string(r) != want {
				t.Fatalf("client %d: %s %v, want %s", i, r, err, want)
			}
		}
	}
	if err := s.Broadcast("all"); err != nil {
		t.Fatal(err)
	}
	for range n {
		if m := receive(t, got, `"all"`); m != `"all"` {
			t.Fatal(m)
		}
	}
	s.Shutdown(false)
	for _, c := range cs {
		<-c.Done()
		if r, _ := c.EndReason(); r != "Server was shut down" {
			t.Fatalf("end %q", r)
		}
	}
}

// crossLoopDeadline bounds TestServerLoopsPublishAcrossLoops: far beyond
// what it needs, it only turns a deadlock into a failure with every
// goroutine's stack.
const crossLoopDeadline = 3 * time.Minute

// Clients on both loops of a server handling on its loops publish to a
// topic all of them subscribe to: each loop's read callback writes to
// connections of the other loop while that loop's read callback does the
// same the other way. Every publication reaches every subscriber, and no
// loop waits for the other.
func TestServerLoopsPublishAcrossLoops(t *testing.T) {
	const clients, each = 64, 2
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-done:
		case <-time.After(crossLoopDeadline):
			var b bytes.Buffer
			pprof.Lookup("goroutine").WriteTo(&b, 2)
			os.Stderr.Write(b.Bytes())
			panic("TestServerLoopsPublishAcrossLoops: no progress: deadlocked (goroutines above)")
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), crossLoopDeadline)
	defer cancel()
	s := startServer(t, netipc.ServerOptions{Loops: 2, HandleOnLoop: true})
	var received atomic.Int64
	all := make(chan struct{})
	const want = clients * clients * each
	var cs []*netipc.Client
	for i := range clients {
		c, err := netipc.Dial(ctx, netipc.ClientOptions{Path: s.Addr().String(), ID: "c" + strconv.Itoa(i), NoReconnect: true,
			OnPublish: func(topic string, m json.RawMessage) {
				if received.Add(1) == want {
					close(all)
				}
			}})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Destroy()
		if _, err := c.Subscribe(ctx, "t"); err != nil {
			t.Fatal(err)
		}
		cs = append(cs, c)
	}
	var wg sync.WaitGroup
	errs := make(chan error, clients)
	for i, c := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range each {
				if err := c.Publish(ctx, "t", i*each+k+1); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	select {
	case <-all:
	case <-ctx.Done():
		t.Fatalf("%d of %d publications received", received.Load(), want)
	}
}
