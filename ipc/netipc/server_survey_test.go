package netipc_test

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/uvpipe/uvpipe/ipc/netipc"
)

// Survey asks every client and settles each on its own: an answer, the
// empty answer of a client with no handler, and a client that never
// answers (the context's error, for it alone). OnReady has the real
// address; OnClose comes once Close is done.
func TestServerSurvey(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	path := sockPath(t)
	var readyAddr net.Addr
	closed := make(chan struct{})
	s, err := netipc.Listen(netipc.ServerOptions{Path: path,
		OnReady: func(a net.Addr) { readyAddr = a },
		OnClose: func() { close(closed) }})
	if err != nil {
		t.Fatal(err)
	}
	if readyAddr == nil || readyAddr.String() != netipc.ResolvePath(path) || readyAddr.Network() != s.Addr().Network() {
		t.Fatalf("ready with %v, listening on %v", readyAddr, s.Addr())
	}
	answers := map[string]func(json.RawMessage, func(any) error) bool{
		"answers": func(req json.RawMessage, reply func(any) error) bool {
			reply(map[string]json.RawMessage{"seen": req})
			return true
		},
		"silent": nil,
		"never":  func(json.RawMessage, func(any) error) bool { return true },
	}
	names := map[string]string{}
	for name, h := range answers {
		c, err := netipc.Dial(ctx, netipc.ClientOptions{Path: path, ID: name, OnRequest: h, NoReconnect: true})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Destroy()
		names[c.ID()] = name
	}
	short, cancelShort := context.WithTimeout(ctx, 200*time.Millisecond)
	res := s.Survey(short, []int{1})
	cancelShort()
	if len(res) != len(answers) {
		t.Fatalf("%d results", len(res))
	}
	for _, r := range res {
		switch names[r.Conn.ID()] {
		case "answers":
			if r.Err != nil || string(r.Data) != `{"seen":[1]}` {
				t.Fatalf("answers: %s %v", r.Data, r.Err)
			}
		case "silent":
			if r.Err != nil || r.Data != nil {
				t.Fatalf("silent: %s %v", r.Data, r.Err)
			}
		case "never":
			if !errors.Is(r.Err, context.DeadlineExceeded) {
				t.Fatalf("never: %s %v", r.Data, r.Err)
			}
		default:
			t.Fatalf("result for %q", r.Conn.ID())
		}
	}
	if res := s.Survey(ctx, func() {}); len(res) != 3 || res[0].Err == nil {
		t.Fatalf("survey of a value JSON cannot hold: %+v", res)
	}
	s.Shutdown(false)
	<-closed
}
