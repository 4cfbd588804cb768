package netipc_test

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/uvpipe/uvpipe/ipc/netipc"
)

// surveyAnswer is what the answering clients, Go and node, return to
// {"n":n}: their id and 2n, in the order node's JSON.stringify writes them.
type surveyAnswer struct {
	ID     string `json:"id"`
	Double int    `json:"double"`
}

// The Go server surveys net-ipc clients under node and Go clients at once:
// each connection's entry is its own answer, the empty RESPONSE of a node
// client with no request listener, the context's error for the clients
// that never answer, and ErrConnClosed for a node client that exits while
// the survey waits for it.
func TestNetIPCNodeSurvey(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	gone := make(chan string, 8)
	s := startServer(t, netipc.ServerOptions{OnDisconnect: func(c *netipc.ServerConn, _ string) { gone <- c.ID() }})
	path := s.Addr().String()
	peers := map[string]*netIPCPeer{}
	for _, p := range [][2]string{{"node-answer", "answer"}, {"node-silent", "silent"}, {"node-never", "never"}, {"node-gone", "never"}} {
		peer := nodeNetIPC(t, "survey-client", path, p[0], p[1])
		peer.stop = sync.OnceFunc(peer.stop)
		defer peer.stop()
		nextLine(t, peer.lines, `{"ready":"`+p[0]+`"}`)
		peers[p[0]] = peer
	}
	asked := make(chan string, 1)
	goAnswered := make(chan struct{}, 1)
	handlers := map[string]func(json.RawMessage, func(any) error) bool{
		"go-answer": func(req json.RawMessage, reply func(any) error) bool {
			var q struct {
				N int `json:"n"`
			}
			if err := json.Unmarshal(req, &q); err != nil {
				t.Errorf("request %s: %v", req, err)
			}
			reply(surveyAnswer{"go-answer", 2 * q.N})
			if q.N == 21 {
				goAnswered <- struct{}{}
			}
			return true
		},
		"go-never": func(json.RawMessage, func(any) error) bool {
			asked <- "go-never"
			return true
		},
	}
	for id, h := range handlers {
		c, err := netipc.Dial(ctx, netipc.ClientOptions{Path: path, ID: id, OnRequest: h, NoReconnect: true})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Destroy()
	}
	if n := len(s.Connections()); n != 6 {
		t.Fatalf("%d connections", n)
	}

	surveyCtx, endSurvey := context.WithCancel(ctx)
	defer endSurvey()
	results := make(chan []netipc.SurveyResult, 1)
	go func() { results <- s.Survey(surveyCtx, map[string]int{"n": 21}) }()
	nextLine(t, peers["node-never"].lines, `{"asked":"node-never"}`)
	nextLine(t, peers["node-gone"].lines, `{"asked":"node-gone"}`)
	receive(t, asked, "go-never asked")
	// The answering clients have answered; a request after it on the same
	// connection is answered after it, so once that comes back, the
	// survey's answer has been read too, whatever the machine's load.
	nextLine(t, peers["node-answer"].lines, `{"answered":"node-answer","n":21}`)
	receive(t, goAnswered, "go-answer's answer")
	for _, c := range s.Connections() {
		if id := c.ID(); id == "node-answer" || id == "go-answer" {
			if _, err := c.Request(ctx, map[string]int{"n": 1}); err != nil {
				t.Fatalf("%s: a request after the survey's: %v", id, err)
			}
		}
	}
	peers["node-gone"].stop()
	if id := receive(t, gone, "node-gone's disconnect"); id != "node-gone" {
		t.Fatalf("%s went", id)
	}
	endSurvey()

	res := receive(t, results, "the survey")
	seen := map[string]bool{}
	for _, r := range res {
		id := r.Conn.ID()
		if seen[id] {
			t.Fatalf("two results for %s", id)
		}
		seen[id] = true
		switch id {
		case "node-answer", "go-answer":
			want, _ := json.Marshal(surveyAnswer{id, 42})
			if r.Err != nil || string(r.Data) != string(want) {
				t.Fatalf("%s: %s %v, want %s", id, r.Data, r.Err, want)
			}
		case "node-silent":
			if r.Err != nil || r.Data != nil {
				t.Fatalf("%s: %s %v, want no data", id, r.Data, r.Err)
			}
		case "node-never", "go-never":
			if !errors.Is(r.Err, context.Canceled) {
				t.Fatalf("%s: %s %v, want the survey's context error", id, r.Data, r.Err)
			}
		case "node-gone":
			if !errors.Is(r.Err, netipc.ErrConnClosed) {
				t.Fatalf("%s: %s %v, want ErrConnClosed", id, r.Data, r.Err)
			}
		default:
			t.Fatalf("result for %q", id)
		}
	}
	if len(seen) != 6 {
		t.Fatalf("results for %v", seen)
	}
}
