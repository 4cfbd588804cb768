package netipc_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/uvpipe/uvpipe/ipc/netipc"
)

// nodeStatusRun reads netipc-peer.js's {"status":n} lines up to the first
// other line, which it returns with the statuses.
func nodeStatusRun(t *testing.T, lines <-chan string) ([]netipc.ClientStatus, string) {
	t.Helper()
	var sts []netipc.ClientStatus
	for {
		l := receive(t, lines, "a status")
		var st struct {
			Status *int `json:"status"`
		}
		if json.Unmarshal([]byte(l), &st) != nil || st.Status == nil {
			return sts, l
		}
		sts = append(sts, netipc.ClientStatus(*st.Status))
	}
}

// goStatusRun reads a Go client's statuses up to the last one it reports
// before Dial returns (done).
func goStatusRun(t *testing.T, l statusLog, done <-chan connectResult) ([]netipc.ClientStatus, connectResult) {
	t.Helper()
	r := receive(t, done, "Dial")
	return drained(l), r
}

// A net-ipc client under node and the Go client, side by side, connect
// while no server listens: their first connect() goes through the same
// statuses, retries and ends in the same way.
func TestNetIPCNodeFirstConnect(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	// The server appears once both first attempts failed: both retry after
	// net-ipc's 500 ms and connect (more failed rounds are allowed when the
	// machine is slow; how many is timing, not behaviour).
	t.Run("ServerAppears", func(t *testing.T) {
		path := sockPath(t)
		peer := nodeNetIPC(t, "first-client", path, "3")
		defer peer.stop()
		log := newStatusLog()
		done := connectAsync(ctx, netipc.ClientOptions{Path: path, OnStatus: log.record})
		firstFailure := []netipc.ClientStatus{connecting, disconnected, reconnecting}
		nodeStatuses(t, peer.lines, firstFailure...)
		log.expect(t, firstFailure...)
		startServer(t, netipc.ServerOptions{Path: path})
		nodeSts, end := nodeStatusRun(t, peer.lines)
		var readyLine struct {
			Ready string `json:"ready"`
		}
		if json.Unmarshal([]byte(end), &readyLine) != nil || readyLine.Ready == "" {
			t.Fatalf("node said %s, want its ready id", end)
		}
		goSts, r := goStatusRun(t, log, done)
		if r.err != nil {
			t.Fatal(r.err)
		}
		defer r.c.Destroy()
		nodeAttempts := checkRetriedReady(t, append(slices.Clone(firstFailure), nodeSts...))
		goAttempts := checkRetriedReady(t, append(slices.Clone(firstFailure), goSts...))
		t.Logf("connected in %d attempts (node) and %d (Go)", nodeAttempts, goAttempts)
	})

	// No server ever: with 1 retry both dial twice, wait 500 then 1000 ms,
	// end idle, and fail with the last dial's error (ENOENT).
	t.Run("GivesUp", func(t *testing.T) {
		path := sockPath(t)
		peer := nodeNetIPC(t, "first-client", path, "1")
		defer peer.stop()
		log := newStatusLog()
		done := connectAsync(ctx, netipc.ClientOptions{Path: path, OnStatus: log.record, Retries: 1})
		nodeSts, end := nodeStatusRun(t, peer.lines)
		if end != `{"rejected":"ENOENT"}` {
			t.Fatalf("node said %s, want its connect() rejected with ENOENT", end)
		}
		goSts, r := goStatusRun(t, log, done)
		if !errors.Is(r.err, netipc.ErrRetriesSpent) || !errors.Is(r.err, syscall.ENOENT) {
			t.Fatalf("Dial: %v", r.err)
		}
		want := slices.Concat(failedRound, failedRound)
		if !slices.Equal(nodeSts, want) || !slices.Equal(goSts, want) {
			t.Fatalf("statuses: node %v, Go %v, want %v", nodeSts, goSts, want)
		}
	})

	// reconnect: false (NoReconnect): one attempt, disconnected, idle. net-ipc
	// emits close with the error and its connect() never settles; the Go
	// Dial returns the error.
	t.Run("NoReconnect", func(t *testing.T) {
		path := sockPath(t)
		peer := nodeNetIPC(t, "first-client", path, "noreconnect")
		defer peer.stop()
		log := newStatusLog()
		done := connectAsync(ctx, netipc.ClientOptions{Path: path, OnStatus: log.record, NoReconnect: true})
		nodeSts, end := nodeStatusRun(t, peer.lines)
		if want := `{"close":"connect ENOENT ` + strings.ReplaceAll(netipc.ResolvePath(path), `\`, `\\`) + `"}`; end != want {
			t.Fatalf("node said %s, want %s", end, want)
		}
		nextLine(t, peer.lines, `{"settled":false}`)
		goSts, r := goStatusRun(t, log, done)
		if !errors.Is(r.err, syscall.ENOENT) || errors.Is(r.err, netipc.ErrRetriesSpent) {
			t.Fatalf("Dial: %v", r.err)
		}
		want := []netipc.ClientStatus{connecting, disconnected, idle}
		if !slices.Equal(nodeSts, want) || !slices.Equal(goSts, want) {
			t.Fatalf("statuses: node %v, Go %v, want %v", nodeSts, goSts, want)
		}
	})

	// A server that refuses (END without allowReconnect) answers and then
	// ends, as @isdk's does, and is not asked again, reconnect on or not:
	// net-ipc's connect() resolves, then it emits close with END's reason;
	// Dial returns the *EndError.
	t.Run("Refused", func(t *testing.T) {
		connects := make(chan struct{}, 4)
		s := startServer(t, netipc.ServerOptions{OnConnect: func(*netipc.ServerConn, json.RawMessage) error {
			connects <- struct{}{}
			return errors.New("go away")
		}})
		path := s.Addr().String()
		peer := nodeNetIPC(t, "first-client", path, "3")
		defer peer.stop()
		nodeSts, ready := nodeStatusRun(t, peer.lines)
		if !strings.HasPrefix(ready, `{"ready":`) {
			t.Fatalf("node said %s, want its connect() resolved", ready)
		}
		closing, end := nodeStatusRun(t, peer.lines)
		if end != `{"close":"go away"}` {
			t.Fatalf("node said %s", end)
		}
		nextLine(t, peer.lines, `{"settled":true}`)
		if want := []netipc.ClientStatus{connecting, connected, netipc.ClientReady}; !slices.Equal(nodeSts, want) {
			t.Fatalf("node's statuses to its connect(): %v, want %v", nodeSts, want)
		}
		if want := []netipc.ClientStatus{disconnected, idle}; !slices.Equal(closing, want) {
			t.Fatalf("node's statuses after: %v, want %v", closing, want)
		}
		log := newStatusLog()
		_, err := netipc.Dial(ctx, netipc.ClientOptions{Path: path, OnStatus: log.record})
		var refused *netipc.EndError
		if !errors.As(err, &refused) || refused.Reason != "go away" || refused.AllowReconnect {
			t.Fatalf("Dial: %v", err)
		}
		goSts := drained(log)
		if want := []netipc.ClientStatus{connecting, connected, disconnected, idle}; !slices.Equal(goSts, want) {
			t.Fatalf("statuses: Go %v, want %v", goSts, want)
		}
		if n := len(connects); n != 2 {
			t.Fatalf("%d connections, want one from each client", n)
		}
	})
}
