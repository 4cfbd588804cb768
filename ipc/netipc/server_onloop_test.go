package netipc_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uvpipe/uvpipe/ipc/netipc"
	"github.com/uvpipe/uvpipe/ipc/netipc/wire"
)

// serveOnLoop makes startServer's servers handle on the loop
// (HandleOnLoop); only TestServerOnLoop sets it, around tests that do not
// run in parallel.
var serveOnLoop bool

// The server tests again with HandleOnLoop: the same bytes on the wire,
// the same errors, against Go clients and net-ipc's.
func TestServerOnLoop(t *testing.T) {
	serveOnLoop = true
	defer func() { serveOnLoop = false }()
	t.Run("PubSubBytes", TestServerPubSubBytes)
	t.Run("BadInput", TestServerBadInput)
	t.Run("ClientGo", TestServerClientGo)
	t.Run("NodeClient", TestNetIPCNodeClient)
	t.Run("Split", testServerOnLoopSplit)
}

// Packets cut anywhere, and many in one write, are all answered, in order.
func testServerOnLoopSplit(t *testing.T) {
	var calls atomic.Int64
	s := startServer(t, netipc.ServerOptions{OnRequest: []func(*netipc.ServerConn, json.RawMessage, func(any) error) bool{
		func(c *netipc.ServerConn, req json.RawMessage, reply func(any) error) bool {
			calls.Add(1)
			reply(req)
			return true
		},
	}})
	r := dialRaw(t, s.Addr().String())
	r.connect("s1")
	var all []byte
	for i := range 50 {
		p, err := wire.AppendPacket(nil, wire.Packet{Type: wire.PacketRequest, Data: json.RawMessage(itoa(i)), Nonce: "n" + itoa(i)})
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, p...)
	}
	// One byte at a time for the first packets, then the rest in one write.
	for _, b := range all[:40] {
		if _, err := r.c.Write([]byte{b}); err != nil {
			t.Fatal(err)
		}
		time.Sleep(100 * time.Microsecond)
	}
	if _, err := r.c.Write(all[40:]); err != nil {
		t.Fatal(err)
	}
	for i := range 50 {
		r.expect(`{"t":3,"d":` + itoa(i) + `,"n":"n` + itoa(i) + `"}`)
	}
	if n := calls.Load(); n != 50 {
		t.Fatalf("%d handler calls, want 50", n)
	}
}

// With HandleOnLoop, writes skip the write mutex: replies written in the
// read callback and large broadcasts written from another goroutine at the
// same time still reach the client whole, each packet in one piece.
func TestServerOnLoopWritesStayWhole(t *testing.T) {
	s := startServer(t, netipc.ServerOptions{HandleOnLoop: true, OnRequest: []func(*netipc.ServerConn, json.RawMessage, func(any) error) bool{
		func(c *netipc.ServerConn, req json.RawMessage, reply func(any) error) bool {
			reply(req)
			return true
		},
	}})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var messages, badPackets atomic.Int64
	c, err := netipc.Dial(ctx, netipc.ClientOptions{Path: s.Addr().String(),
		OnMessage: func(json.RawMessage) { messages.Add(1) },
		OnError:   func(error) { badPackets.Add(1) }})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Destroy()
	big := strings.Repeat("x", 256<<10)
	const broadcasts = 20
	done := make(chan error, 1)
	go func() {
		for range broadcasts {
			if err := s.Broadcast(big); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	for i := range 2000 {
		r, err := c.Request(ctx, i)
		if err != nil || string(r) != itoa(i) {
			t.Fatalf("request %d: %s, %v", i, r, err)
		}
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { return messages.Load() == broadcasts })
	if n := badPackets.Load(); n != 0 {
		t.Fatalf("%d packets did not parse", n)
	}
}
