package netipc_test

import (
	"context"
	"encoding/json"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/uvpipe/uvpipe/ipc/netipc"
)

func echoServer(t testing.TB, path string) *netipc.Server {
	return echoServerWith(t, netipc.ServerOptions{Path: path})
}

// echoServerWith is echoServer with opts (its OnRequest replaced).
func echoServerWith(t testing.TB, opts netipc.ServerOptions) *netipc.Server {
	opts.OnRequest = []func(*netipc.ServerConn, json.RawMessage, func(any) error) bool{
		func(c *netipc.ServerConn, req json.RawMessage, reply func(any) error) bool {
			reply(req)
			return true
		},
	}
	s, err := netipc.Listen(opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// 1,000 clients × 100 requests each, all answered, none lost or crossed.
func TestServerManyClients(t *testing.T) {
	clients, requests := 1000, 100
	if testing.Short() {
		clients = 100
	}
	path := sockPath(t)
	s := echoServer(t, path)
	defer s.Shutdown(false)
	// A hang detector, not a budget: 100,000 requests under -race on a
	// machine whose CPUs other processes take can need minutes.
	ctx, cancel := context.WithTimeout(context.Background(), testScale()*10*time.Minute)
	defer cancel()
	var wg sync.WaitGroup
	errs := make(chan error, clients)
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := netipc.Dial(ctx, netipc.ClientOptions{Path: path})
			if err != nil {
				errs <- err
				return
			}
			defer c.Destroy()
			for j := range requests {
				want := strconv.Itoa(i*requests + j)
				got, err := c.Request(ctx, json.RawMessage(want))
				if err != nil || string(got) != want {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("client failed: %v", err)
	}
}

func BenchmarkNetIPCRequest(b *testing.B) {
	dir := b.TempDir()
	s := echoServer(b, dir+"/s")
	defer s.Shutdown(false)
	ctx := context.Background()
	c, err := netipc.Dial(ctx, netipc.ClientOptions{Path: dir + "/s"})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Destroy()
	for b.Loop() {
		if _, err := c.Request(ctx, 1); err != nil {
			b.Fatal(err)
		}
	}
}
