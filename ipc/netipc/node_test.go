package netipc_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/uvpipe/uvpipe/internal/interop"
	"github.com/uvpipe/uvpipe/ipc/netipc"
)

// netIPCPeer is a running interop/netipc-peer.js.
type netIPCPeer struct {
	cmd   *exec.Cmd
	lines <-chan string // its stdout, line by line
	stdin io.WriteCloser
	stop  func() // ends stdin and waits for a clean exit
}

// command writes one command line to the peer.
func (p *netIPCPeer) command(t *testing.T, line string) {
	t.Helper()
	if _, err := io.WriteString(p.stdin, line+"\n"); err != nil {
		t.Fatal(err)
	}
}

// nodeNetIPC starts interop/netipc-peer.js and returns its stdout lines.
func nodeNetIPC(t testing.TB, args ...string) *netIPCPeer {
	t.Helper()
	node := interop.Node(t)
	dir := interop.Dir(t)
	interop.Module(t, "net-ipc")
	for i, a := range args {
		args[i] = peerPath(a)
	}
	cmd := exec.Command(node, append([]string{filepath.Join(dir, "netipc-peer.js")}, args...)...)
	cmd.Dir = dir
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 64)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	stop := func() {
		stdin.Close()
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("node: %v\n%s", err, stderr.String())
			}
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
			<-done
			t.Errorf("node did not exit\n%s", stderr.String())
		}
	}
	return &netIPCPeer{cmd: cmd, lines: lines, stdin: stdin, stop: stop}
}

// nodeNetIPCServer starts a net-ipc server under node on a fresh path and
// waits until it listens.
func nodeNetIPCServer(t *testing.T) (*netIPCPeer, string) {
	t.Helper()
	path := sockPath(t)
	peer := nodeNetIPC(t, "server", path)
	nextLine(t, peer.lines, `{"ready":true}`)
	return peer, path
}

func nextLine(t *testing.T, lines <-chan string, want string) {
	t.Helper()
	if l := receive(t, lines, want); l != want {
		t.Fatalf("node said %q, want %q", l, want)
	}
}

// receive waits up to 20 s for the next value of ch (want says what for).
func receive[T any](t *testing.T, ch <-chan T, want any) T {
	t.Helper()
	select {
	case v, ok := <-ch:
		if !ok {
			t.Fatalf("closed; want %v", want)
		}
		return v
	case <-time.After(20 * time.Second):
		t.Fatalf("nothing in 20 s; want %v", want)
	}
	panic("unreachable")
}

// A net-ipc client under node against the Go server, with the IPC
// preamble and with net-ipc's GET upgrade (handshake: true).
func TestNetIPCNodeClient(t *testing.T) {
	t.Run("IPC", func(t *testing.T) { testNetIPCNodeClient(t) })
	t.Run("GET", func(t *testing.T) { testNetIPCNodeClient(t, "handshake") })
}

func testNetIPCNodeClient(t *testing.T, preamble ...string) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	events := make(chan string, 10)
	s := startServer(t, netipc.ServerOptions{
		GenerateID: func() string { return "go-id" },
		OnConnect: func(c *netipc.ServerConn, extras json.RawMessage) error {
			events <- "connect " + string(extras)
			return nil
		},
		OnMessage: func(c *netipc.ServerConn, d json.RawMessage) {
			events <- "message " + string(d)
			go func() {
				if _, err := c.Ping(ctx); err != nil {
					events <- "ping " + err.Error()
				}
				r, err := c.Request(ctx, map[string]int{"q": 1})
				events <- "answer " + string(r) + errString(err)
				c.Send("end")
			}()
		},
		OnRequest: []func(*netipc.ServerConn, json.RawMessage, func(any) error) bool{
			func(c *netipc.ServerConn, req json.RawMessage, reply func(any) error) bool {
				reply(map[string]json.RawMessage{"echo": req})
				return true
			},
		},
		OnDisconnect: func(c *netipc.ServerConn, reason string) { events <- "disconnect " + reason },
	})
	peer := nodeNetIPC(t, append([]string{"client", s.Addr().String()}, preamble...)...)
	defer peer.stop()
	lines := peer.lines
	nextLine(t, lines, `{"id":"go-id"}`)
	nextLine(t, lines, `{"response":{"echo":{"n":41}}}`)
	nextLine(t, lines, `{"ping":"number"}`)
	nextLine(t, lines, `{"message":"end"}`)
	nextLine(t, lines, `{"close":null}`)
	for _, want := range []string{`connect {"from":"node"}`, `message {"hello":"go"}`, `answer {"a":2}`, `disconnect node done`} {
		if e := receive(t, events, want); e != want {
			t.Fatalf("server event %q, want %q", e, want)
		}
	}
}

func errString(err error) string {
	if err != nil {
		return " " + err.Error()
	}
	return ""
}

// The Go client against a net-ipc server under node.
func TestNetIPCNodeServer(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	peer, path := nodeNetIPCServer(t)
	defer peer.stop()
	lines := peer.lines
	msgs := make(chan string, 4)
	c, err := netipc.Dial(ctx, netipc.ClientOptions{Path: path, Extras: map[string]string{"from": "go"}, ID: "go-client",
		OnMessage: func(d json.RawMessage) { msgs <- string(d) }})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Destroy()
	if c.ID() != "go-client" {
		t.Fatalf("id %q", c.ID())
	}
	nextLine(t, lines, `{"connect":{"from":"go"},"id":"go-client"}`)
	r, err := c.Request(ctx, []int{1})
	if err != nil || string(r) != `{"echo":[1]}` {
		t.Fatalf("request: %s %v", r, err)
	}
	if _, err := c.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	c.Send("hi")
	nextLine(t, lines, `{"message":"hi"}`)
	select {
	case m := <-msgs:
		if m != `{"got":"hi"}` {
			t.Fatal(m)
		}
	case <-ctx.Done():
		t.Fatal("no message from node")
	}
	if err := c.Shutdown(ctx, "go done"); err != nil {
		t.Fatal(err)
	}
	nextLine(t, lines, `{"disconnect":"go done"}`)
}
