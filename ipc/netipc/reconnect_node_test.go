package netipc_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/uvpipe/uvpipe/ipc/netipc"
)

// nodeStatuses is what netipc-peer.js's reconnect-client prints for a
// sequence of statuses.
func nodeStatuses(t *testing.T, lines <-chan string, sts ...netipc.ClientStatus) {
	t.Helper()
	for _, s := range sts {
		nextLine(t, lines, fmt.Sprintf(`{"status":%d}`, s))
	}
}

// The Go server closes with allowReconnect and a new one takes its path: a
// net-ipc client under node and a Go client, side by side, go through the
// same statuses, reconnect, and are given back their ids; then the server
// closes without allowReconnect and both end with its reason.
func TestNetIPCNodeClientReconnect(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	path := sockPath(t)
	connects := make(chan string, 8)
	serve := func() *netipc.Server {
		return startServer(t, netipc.ServerOptions{Path: path,
			OnConnect: func(c *netipc.ServerConn, extras json.RawMessage) error {
				connects <- c.ID() + " " + string(extras)
				return nil
			}})
	}
	a := serve()
	peer := nodeNetIPC(t, "reconnect-client", path, "node-1")
	defer peer.stop()
	nodeStatuses(t, peer.lines, connecting, connected, ready)
	nextLine(t, peer.lines, `{"ready":"node-1"}`)
	log := newStatusLog()
	c, err := netipc.Dial(ctx, netipc.ClientOptions{Path: path, ID: "go-1", Extras: "go", OnStatus: log.record})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Destroy()
	log.expect(t, connecting, connected, ready)
	expectAnyOrder(t, connects, `node-1 {"from":"node"}`, `go-1 "go"`)

	a.Shutdown(true)
	b := serve()
	reconnectSeq := []netipc.ClientStatus{disconnected, reconnecting, idle, connecting, connected, ready}
	nodeStatuses(t, peer.lines, reconnectSeq...)
	nextLine(t, peer.lines, `{"ready":"node-1"}`)
	log.expect(t, reconnectSeq...)
	expectAnyOrder(t, connects, `node-1 {"from":"node"}`, `go-1 "go"`)
	if r, a := c.EndReason(); r != "Server was shut down" || !a {
		t.Fatalf("end %q %v", r, a)
	}
	if _, err := c.Ping(ctx); err != nil {
		t.Fatal(err)
	}

	b.Shutdown(false)
	nodeStatuses(t, peer.lines, disconnected, idle)
	nextLine(t, peer.lines, `{"close":"Server was shut down"}`)
	log.expect(t, disconnected, idle)
	<-c.Done()
	if r, a := c.EndReason(); r != "Server was shut down" || a {
		t.Fatalf("end %q %v", r, a)
	}
}

// expectAnyOrder reads len(want) events (or node's lines), in any order.
func expectAnyOrder(t *testing.T, connects <-chan string, want ...string) {
	t.Helper()
	left := map[string]bool{}
	for _, w := range want {
		left[w] = true
	}
	for range want {
		c := receive(t, connects, left)
		if !left[c] {
			t.Fatalf("got %s, want one of %v", c, left)
		}
		delete(left, c)
	}
}

// A net-ipc server under node closes with allowReconnect and starts again:
// the Go client reconnects, is given back its id, and works; then the
// server closes without allowReconnect and the client ends with its reason.
func TestNetIPCNodeServerReconnect(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	peer, path := nodeNetIPCServer(t)
	defer peer.stop()
	log := newStatusLog()
	c, err := netipc.Dial(ctx, netipc.ClientOptions{Path: path, ID: "go-1", Extras: map[string]string{"from": "go"}, OnStatus: log.record})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Destroy()
	nextLine(t, peer.lines, `{"connect":{"from":"go"},"id":"go-1"}`)
	log.expect(t, connecting, connected, ready)

	peer.command(t, "close true")
	expectAnyOrder(t, peer.lines, `{"disconnect":null}`, `{"closed":true}`)
	log.expect(t, disconnected, reconnecting)
	peer.command(t, "start")
	nextLine(t, peer.lines, `{"ready":true}`)
	waitStatus(t, log, ready)
	nextLine(t, peer.lines, `{"connect":{"from":"go"},"id":"go-1"}`)
	if r, a := c.EndReason(); r != "Server was shut down" || !a {
		t.Fatalf("end %q %v", r, a)
	}
	r, err := c.Request(ctx, "again")
	if err != nil || string(r) != `{"echo":"again"}` {
		t.Fatalf("request after reconnect: %s %v", r, err)
	}

	peer.command(t, "close false")
	expectAnyOrder(t, peer.lines, `{"disconnect":null}`, `{"closed":true}`)
	log.expect(t, disconnected, idle)
	<-c.Done()
	if r, a := c.EndReason(); r != "Server was shut down" || a {
		t.Fatalf("end %q %v", r, a)
	}
}
