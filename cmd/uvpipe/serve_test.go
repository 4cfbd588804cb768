package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/internal/interop"
)

// serving starts `uvpipe serve PATH` and waits until it listens.
func serving(t *testing.T) (*proc, string) {
	t.Helper()
	path := socketPath(t)
	srv := start(t, "serve", path)
	srv.waitStderr(t, "uvpipe serve: listening on "+untrusted(path)+"\n") // a pipe name's backslashes are escaped
	return srv, path
}

// subscribed starts `uvpipe subscribe PATH args...` and waits until it has
// subscribed.
func subscribed(t *testing.T, path string, args ...string) *proc {
	t.Helper()
	sub := start(t, append([]string{"subscribe", "-s", path}, args...)...)
	sub.waitStderr(t, "uvpipe subscribe: subscribed to ")
	return sub
}

// The broker and its clients through the binary: a subscriber gets what is
// published to its topics and nothing else, a request is echoed, a message
// is logged; each client's connection and graceful disconnection are logged.
func TestServePublishSubscribeRequest(t *testing.T) {
	srv, path := serving(t)
	sub := subscribed(t, path, "a", "b", "-n", "2")
	for _, pub := range [][]string{{"a", `{"x":[1,2]}`}, {"c", `"not subscribed"`}, {"b", `"two"`}, {"a", `"past -n"`}} {
		code, out, errOut := runCLI(t, "", "publish", "-s", path, pub[0], pub[1])
		require.Equal(t, 0, code, "publish %v: %s", pub, errOut)
		assert.Empty(t, out)
		assert.Empty(t, errOut)
	}
	require.Equal(t, 0, sub.exit(t), "stderr: %s", sub.stderr.String())
	assert.Equal(t, "{\"topic\":\"a\",\"message\":{\"x\":[1,2]}}\n{\"topic\":\"b\",\"message\":\"two\"}\n", sub.stdout.String())
	assert.Equal(t, "uvpipe subscribe: subscribed to a, b\n", sub.stderr.String())

	code, out, errOut := runCLI(t, "", "request", "-s", path, `{"q":[1,"two",null]}`)
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, "{\"q\":[1,\"two\",null]}\n", out, "uvpipe serve answers a request with its data")

	code, out, errOut = runCLI(t, "", "ping", "-s", path, "-c", "2")
	require.Equal(t, 0, code, errOut)
	assert.Regexp(t, `^pong from `+regexp.QuoteMeta(path)+`: \S+s\npong from `+regexp.QuoteMeta(path)+`: \S+s\n$`, out)

	code, out, errOut = runCLI(t, "", "send", "-s", path, `{"hello":"broker"}`)
	require.Equal(t, 0, code, errOut)
	assert.Empty(t, out)
	srv.waitStderr(t, `: {"hello":"broker"}`)
	srv.waitStderr(t, `("uvpipe send done")`)
	log := srv.stderr.String()
	assert.Regexp(t, `(?m)^uvpipe serve: connected \S+ \(pid \d+\)$`, log)
	assert.Regexp(t, `(?m)^uvpipe serve: message from \S+: \{"hello":"broker"\}$`, log)
	assert.Regexp(t, `(?m)^uvpipe serve: disconnected \S+ \("uvpipe publish done"\)$`, log)
	assert.Regexp(t, `(?m)^uvpipe serve: disconnected \S+ \("uvpipe subscribe done"\)$`, log)
	if runtime.GOOS == "windows" {
		// Windows cannot send SIGINT to another process: serve's graceful
		// end is checked off Windows.
		return
	}

	require.NoError(t, srv.cmd.Process.Signal(syscall.SIGINT))
	require.Equal(t, exitSignal+int(syscall.SIGINT), srv.exit(t), "serve ends gracefully with 128+n")
	assert.Contains(t, srv.stderr.String(), "uvpipe serve: interrupt: closing\nuvpipe serve: closed\n")
	assert.NoFileExists(t, path, "the socket file is removed")
}

// A real net-ipc client (the pinned net-ipc under node) against uvpipe serve:
// it connects with extras, sends a message, gets its request echoed, pings,
// and is told "Server was shut down" when serve gets SIGTERM.
func TestServeNodeNetIPCClient(t *testing.T) {
	skipOnWindows(t, "Windows cannot send SIGINT or SIGTERM to another process (os.Process.Signal sends only Kill there)")
	interop.Module(t, "net-ipc")
	srv, path := serving(t)
	cmd := exec.Command(interop.Node(t), filepath.Join(interop.Dir(t), "netipc-peer.js"), "client", path)
	node := startCmd(t, cmd)
	require.Eventually(t, func() bool { return strings.Contains(node.stdout.String(), `{"ping":"number"}`) },
		waitTimeout, 5e6, "node never pinged; stdout %q stderr %q", node.stdout.String(), node.stderr.String())
	require.NoError(t, srv.cmd.Process.Signal(syscall.SIGTERM))
	require.Equal(t, 0, node.exit(t), "node's stderr: %s", node.stderr.String())
	require.Equal(t, exitSignal+int(syscall.SIGTERM), srv.exit(t), "serve ends gracefully with 128+n")
	lines := strings.Split(strings.TrimSuffix(node.stdout.String(), "\n"), "\n")
	require.Len(t, lines, 4, node.stdout.String())
	assert.Regexp(t, `^\{"id":"\S+"\}$`, lines[0])
	assert.Equal(t, `{"response":{"n":41}}`, lines[1])
	assert.Equal(t, `{"ping":"number"}`, lines[2])
	assert.Equal(t, `{"close":"Server was shut down"}`, lines[3])
	log := srv.stderr.String()
	assert.Regexp(t, `(?m)^uvpipe serve: connected \S+ \(pid \d+, extras \{"from":"node"\}\)$`, log)
	assert.Regexp(t, `(?m)^uvpipe serve: message from \S+: \{"hello":"go"\}$`, log)
}

// The server goes away while a subscriber waits: killed, the subscriber
// says the connection closed without a reason; closed with SIGTERM, it
// gives the server's reason. Either way one line on stderr and status 1.
func TestServeGoesAwayUnderSubscriber(t *testing.T) {
	sigs := []syscall.Signal{syscall.SIGKILL, syscall.SIGTERM}
	if runtime.GOOS == "windows" {
		sigs = sigs[:1] // Windows sends another process no SIGTERM
	}
	for _, sig := range sigs {
		srv, path := serving(t)
		sub := subscribed(t, path, "news")
		require.NoError(t, srv.cmd.Process.Signal(sig))
		require.Equal(t, 1, sub.exit(t), "%v: %s", sig, sub.stderr.String())
		errLines := strings.SplitAfter(sub.stderr.String(), "\n")
		require.Len(t, errLines, 3, "the subscribed line, one error line: %q", sub.stderr.String())
		requireOneLine(t, errLines[1])
		want := "without a reason"
		if sig == syscall.SIGTERM {
			want = `("Server was shut down")`
		}
		assert.Contains(t, errLines[1], "subscribe: the server closed the connection "+want, "%v", sig)
		assert.Empty(t, sub.stdout.String())
	}
}

func TestServeClientsBadArguments(t *testing.T) {
	missing := socketPath(t) // nobody listens there
	for _, tc := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"serve", "a", "b"}, 2, `serve: unexpected argument "b"`},
		{[]string{"serve", "/nonexistent/dir/sock"}, 1, "serve: listen unix /nonexistent/dir/sock: bind: permission denied (the directory /nonexistent/dir does not exist"},
		{[]string{"send", "-s", missing}, 2, "send: missing JSON"},
		{[]string{"send", "-s", missing, "oops"}, 2, `send: the message "oops" is not JSON`},
		{[]string{"request", "-s", missing, "{"}, 2, `request: the request "{" is not JSON`},
		{[]string{"publish", "-s", missing, "topic"}, 2, "publish: missing TOPIC JSON"},
		{[]string{"subscribe", "-s", missing}, 2, "subscribe: missing TOPIC..."},
		{[]string{"subscribe", "-s", missing, "t", "-n", "-1"}, 2, "-n must not be negative"},
		{[]string{"request", "-s", missing, "1", "-t", "0s"}, 2, "-t must be positive"},
		{[]string{"ping", "-s", missing, "-c", "0"}, 2, "ping: -c must be at least 1"},
		{[]string{"ping", "-s", missing, "extra"}, 2, `ping: unexpected argument "extra"`},
		{[]string{"ping", "-s", ""}, 2, "ping: -s must name a socket"},
		{[]string{"ping", "-s", missing}, 1, "ping: connecting to " + missing},
		{[]string{"send", "-s", missing, "1"}, 1, "send: connecting to " + missing},
		{[]string{"subscribe", "-s", missing, "t"}, 1, "subscribe: connecting to " + missing},
	} {
		if runtime.GOOS == "windows" && strings.HasPrefix(tc.args[len(tc.args)-1], "/nonexistent/") {
			continue // a named pipe's name has no directories
		}
		code, out, errOut := runCLI(t, "", tc.args...)
		assert.Equal(t, tc.code, code, "%v: %s", tc.args, errOut)
		assert.Empty(t, out, "%v", tc.args)
		requireOneLine(t, errOut)
		assert.Contains(t, errOut, tc.says, "%v", tc.args)
	}
	_, err := os.Stat(missing)
	assert.True(t, os.IsNotExist(err), "a client creates no socket file")
}

// Interrupted, a subscriber closes gracefully and exits 128+n (130 for
// SIGINT); the broker logs the reason it gave.
func TestSubscribeInterrupted(t *testing.T) {
	skipOnWindows(t, "Windows cannot send SIGINT or SIGTERM to another process (os.Process.Signal sends only Kill there)")
	srv, path := serving(t)
	sub := subscribed(t, path, "news")
	require.NoError(t, sub.cmd.Process.Signal(syscall.SIGINT))
	require.Equal(t, exitSignal+int(syscall.SIGINT), sub.exit(t), "stderr: %s", sub.stderr.String())
	assert.Equal(t, "uvpipe subscribe: subscribed to news\n", sub.stderr.String())
	assert.Empty(t, sub.stdout.String())
	srv.waitStderr(t, `("uvpipe subscribe done")`)
}

// With --reconnect a subscriber outlives its server: killed, then started
// again on the same path, the broker gets the subscriber back (subscribed
// again) and its next publication is delivered.
func TestSubscribeReconnects(t *testing.T) {
	skipOnWindows(t, "Windows cannot send SIGINT or SIGTERM to another process (os.Process.Signal sends only Kill there)")
	srv, path := serving(t)
	sub := subscribed(t, path, "news", "--reconnect", "-n", "1", "-t", waitTimeout.String())
	require.NoError(t, srv.cmd.Process.Signal(syscall.SIGKILL))
	sub.waitStderr(t, "uvpipe subscribe: the connection dropped; reconnecting\n")
	srv = start(t, "serve", path)
	sub.waitStderr(t, "uvpipe subscribe: reconnected, subscribed again to news\n")
	code, _, errOut := runCLI(t, "", "publish", "-s", path, "news", `"back"`)
	require.Equal(t, 0, code, errOut)
	require.Equal(t, 0, sub.exit(t), "stderr: %s", sub.stderr.String())
	assert.Equal(t, "{\"topic\":\"news\",\"message\":\"back\"}\n", sub.stdout.String())
	require.NoError(t, srv.cmd.Process.Signal(syscall.SIGTERM))
	require.Equal(t, exitSignal+int(syscall.SIGTERM), srv.exit(t), "serve ends gracefully with 128+n")
}

// With --reconnect a subscriber started before its server retries its first
// connection (as net-ipc's client does), says so, and subscribes once the
// server is there.
func TestSubscribeWaitsForItsServer(t *testing.T) {
	skipOnWindows(t, "Windows cannot send SIGINT or SIGTERM to another process (os.Process.Signal sends only Kill there)")
	path := socketPath(t)
	sub := start(t, "subscribe", "-s", path, "news", "--reconnect", "-n", "1", "-t", waitTimeout.String())
	sub.waitStderr(t, "uvpipe subscribe: cannot connect yet; retrying\n")
	srv := start(t, "serve", path)
	srv.waitStderr(t, "uvpipe serve: listening on "+untrusted(path)+"\n") // a pipe name's backslashes are escaped
	sub.waitStderr(t, "uvpipe subscribe: subscribed to news\n")
	code, _, errOut := runCLI(t, "", "publish", "-s", path, "news", `"first"`)
	require.Equal(t, 0, code, errOut)
	require.Equal(t, 0, sub.exit(t), "stderr: %s", sub.stderr.String())
	assert.Equal(t, "{\"topic\":\"news\",\"message\":\"first\"}\n", sub.stdout.String())
	assert.NotContains(t, sub.stderr.String(), "dropped", "there was no connection to drop")
	require.NoError(t, srv.cmd.Process.Signal(syscall.SIGTERM))
	require.Equal(t, exitSignal+int(syscall.SIGTERM), srv.exit(t), "serve ends gracefully with 128+n")
}

// With --reconnect and a server that does not come back, the subscriber
// gives up after about --retry-for, in one line, with status 1.
func TestSubscribeReconnectGivesUp(t *testing.T) {
	srv, path := serving(t)
	sub := subscribed(t, path, "news", "--reconnect", "--retry-for", "1s", "-t", waitTimeout.String())
	require.NoError(t, srv.cmd.Process.Signal(syscall.SIGKILL))
	require.Equal(t, 1, sub.exit(t), "stderr: %s", sub.stderr.String())
	errLines := strings.SplitAfter(sub.stderr.String(), "\n")
	require.Len(t, errLines, 4, "subscribed, dropped, the error: %q", sub.stderr.String())
	assert.Equal(t, "uvpipe subscribe: the connection dropped; reconnecting\n", errLines[1])
	requireOneLine(t, errLines[2])
	assert.Contains(t, errLines[2], "subscribe: the server closed the connection without a reason, and reconnecting failed")
}

func TestRetriesFor(t *testing.T) {
	assert.Equal(t, 4, retriesFor(time.Second, 100*time.Millisecond, time.Second), "0.1+0.2+0.3+0.4 s")
	assert.Equal(t, 15, retriesFor(10*time.Second, 100*time.Millisecond, time.Second), "5.5 s for 10, then 1 s each up to 10.5 s")
	assert.Equal(t, 1, retriesFor(time.Millisecond, time.Second, time.Second))
}

// The client commands find the server where serve listens by default (as
// net-ipc's clients do) when given no -s: each runs with the same TMPDIR
// as the server. The help of the commands that take no JSON does not speak
// of one.
func TestClientsDefaultPath(t *testing.T) {
	skipOnWindows(t, "Windows cannot send SIGINT or SIGTERM to another process (os.Process.Signal sends only Kill there)")
	tmp := t.TempDir()
	uvpipe := func(args ...string) *proc {
		cmd := exec.Command(os.Args[0], args...)
		cmd.Env = append(cliEnviron(), "TMPDIR="+tmp)
		return startCmd(t, cmd)
	}
	srv := uvpipe("serve")
	srv.waitStderr(t, "uvpipe serve: listening on "+filepath.Join(tmp, "isdk-ipc")+"\n")
	sub := uvpipe("subscribe", "news", "-n", "1")
	sub.waitStderr(t, "uvpipe subscribe: subscribed to news\n")
	for _, args := range [][]string{{"publish", "news", `"hi"`}, {"ping", "-c", "1"}, {"request", "1"}, {"send", "2"}} {
		p := uvpipe(args...)
		p.stdin.Close()
		require.Equal(t, 0, p.exit(t), "%v: %s", args, p.stderr.String())
		assert.Empty(t, p.stderr.String(), "%v", args)
	}
	require.Equal(t, 0, sub.exit(t), sub.stderr.String())
	assert.Equal(t, "{\"topic\":\"news\",\"message\":\"hi\"}\n", sub.stdout.String())
	require.NoError(t, srv.cmd.Process.Signal(syscall.SIGTERM))
	srv.exit(t)
	srv.waitStderr(t, "message from ")

	for _, name := range []string{"ping", "subscribe"} {
		_, out, _ := runCLI(t, "", name, "-h")
		assert.NotContains(t, out, "must be JSON", name)
		assert.Contains(t, out, "-s string", name)
	}
	_, out, _ := runCLI(t, "", "send", "-h")
	assert.Contains(t, out, "must be JSON")
}
