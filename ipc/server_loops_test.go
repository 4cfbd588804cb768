package ipc_test

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/uvpipe/uvpipe/ipc"
)

// A server spreading its connections over three loops serves each one
// (first bytes, requests, a broadcast) and closes them all.
func TestServerLoops(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	s := startServer(t, ipc.ServerOptions{Loops: 3,
		OnRequest: []func(*ipc.ServerConn, json.RawMessage, func(any) error) bool{
			func(c *ipc.ServerConn, req json.RawMessage, reply func(any) error) bool {
				reply(map[string]json.RawMessage{"from": json.RawMessage(strconv.Quote(c.ID())), "req": req})
				return true
			},
		}})
	const n = 7
	var cs []*ipc.Client
	got := make(chan string, n)
	for i := range n {
		c, err := ipc.Connect(ctx, ipc.ClientOptions{Path: s.Addr().String(), ID: "c" + strconv.Itoa(i), NoReconnect: true,
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
	s.Close(false)
	for _, c := range cs {
		<-c.Done()
		if r, _ := c.EndReason(); r != "Server was shut down" {
			t.Fatalf("end %q", r)
		}
	}
}
