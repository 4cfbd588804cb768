package netipc_test

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uvpipe/uvpipe/ipc/netipc"
)

// A net-ipc client under node sends requests the server holds, and is
// killed (SIGKILL) with them in flight: the answers to its requests fail,
// its request from the server fails, it is disconnected, and Go clients
// requesting all the while get every answer.
func TestNetIPCClientKilledMidRequest(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	const held = 50
	var mu sync.Mutex
	var replyErrs []error
	arrived := make(chan *netipc.ServerConn, held)
	var answered sync.WaitGroup
	s := startServer(t, netipc.ServerOptions{
		OnRequest: []func(*netipc.ServerConn, json.RawMessage, func(any) error) bool{
			func(c *netipc.ServerConn, req json.RawMessage, reply func(any) error) bool {
				if !strings.HasPrefix(string(req), `{"hold":`) {
					reply(req)
					return true
				}
				answered.Add(1)
				go func() {
					defer answered.Done()
					<-c.Done()
					err := reply("too late")
					mu.Lock()
					replyErrs = append(replyErrs, err)
					mu.Unlock()
				}()
				arrived <- c
				return true
			},
		},
	})
	path := s.Addr().String()

	stopGo := make(chan struct{})
	var goClients sync.WaitGroup
	goErrs := make(chan error, 8)
	counts := make([]int, 4)
	for i := range counts {
		c, err := netipc.Dial(ctx, netipc.ClientOptions{Path: path})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Destroy()
		goClients.Add(1)
		go func() {
			defer goClients.Done()
			for j := 0; ; j++ {
				select {
				case <-stopGo:
					return
				default:
				}
				want := json.RawMessage(`[` + itoa(i) + `,` + itoa(j) + `]`)
				got, err := c.Request(ctx, want)
				if err != nil || string(got) != string(want) {
					goErrs <- errors.Join(err, errors.New("answer "+string(got)))
					return
				}
				counts[i]++
			}
		}()
	}

	peer := nodeNetIPC(t, "flood", path, itoa(held))
	nextLine(t, peer.lines, `{"sent":50}`)
	var victim *netipc.ServerConn
	for range held {
		victim = <-arrived
	}
	fromServer := make(chan error, 1)
	go func() {
		_, err := victim.Request(ctx, "are you there")
		fromServer <- err
	}()
	if err := peer.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	peer.cmd.Wait()
	<-victim.Done()
	answered.Wait()
	// The server's request may have been answered before the kill (net-ipc
	// answers on its own); if not, it failed with the connection.
	if err := <-fromServer; err != nil && !errors.Is(err, netipc.ErrConnClosed) {
		t.Fatalf("request to the killed client: %v", err)
	}
	close(stopGo)
	goClients.Wait()
	close(goErrs)
	for err := range goErrs {
		t.Fatalf("a Go client failed: %v", err)
	}
	for i, n := range counts {
		if n == 0 {
			t.Fatalf("Go client %d made no request", i)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(replyErrs) != held {
		t.Fatalf("%d held answers, want %d", len(replyErrs), held)
	}
	for _, err := range replyErrs {
		if !errors.Is(err, netipc.ErrConnClosed) {
			t.Fatalf("an answer to the killed client: %v", err)
		}
	}
	if n := len(s.Connections()); n != len(counts) {
		t.Fatalf("%d connections left, want %d", n, len(counts))
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
