package main

import (
	"context"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/ipc/netipc"
	"github.com/uvpipe/uvpipe/ipc/netipc/wire"
)

// rawSend writes IPC (when first) and one packet.
func rawSend(t *testing.T, c net.Conn, first bool, payload string) {
	t.Helper()
	b := append(wire.AppendPacketTag(nil, len(payload)), payload...)
	if first {
		b = append([]byte(wire.Preamble), b...)
	}
	_, err := c.Write(b)
	require.NoError(t, err)
}

// A client cannot forge a log line or reach the terminal: its id, its
// message and its reason come out with control characters escaped.
func TestServeLogEscapesClientStrings(t *testing.T) {
	skipOnWindows(t, "Windows cannot send SIGINT or SIGTERM to another process (os.Process.Signal sends only Kill there)")
	srv, path := serving(t)
	c, err := net.Dial("unix", path)
	require.NoError(t, err)
	defer c.Close()
	rawSend(t, c, true, `{"t":0,"d":{"id":"evil\nuvpipe serve: disconnected admin\u001b[2J"}}`)
	rawSend(t, c, false, "{\"t\":1,\"d\":{\"a\":\n\"x\u202ey\"}}")
	rawSend(t, c, false, `{"t":6,"d":{"m":"bye\n\u001b[31m","a":false}}`)
	srv.waitStderr(t, "message from ")
	c.Close()
	srv.waitStderr(t, "uvpipe serve: disconnected evil")
	require.NoError(t, srv.cmd.Process.Signal(syscall.SIGTERM))
	require.Equal(t, exitSignal+int(syscall.SIGTERM), srv.exit(t))
	log := srv.stderr.String()
	assert.NotContains(t, log, "\x1b", "no ESC reaches the terminal")
	assert.NotContains(t, log, "\u202e")
	for _, line := range strings.Split(strings.TrimSuffix(log, "\n"), "\n") {
		assert.True(t, strings.HasPrefix(line, "uvpipe serve: "), "line %q", line)
		assert.NotEqual(t, "uvpipe serve: disconnected admin", strings.TrimSuffix(line, `\x1b[2J`), "a forged line")
	}
	assert.Contains(t, log, `uvpipe serve: connected evil\nuvpipe serve: disconnected admin\x1b[2J (pid `)
	assert.Contains(t, log, `: {"a":\n"x\u202ey"}`+"\n")
	assert.Contains(t, log, `("bye\n\x1b[31m")`)
}

// A subscriber that never reads (a raw socket with a small receive buffer)
// neither stalls its publisher (10,000 publications of 1 KiB all succeed)
// nor holds up SIGTERM: serve exits 143 (well within the tests' wait)
// whatever it does.
func TestServeSIGTERMWithNeverReadingSubscriber(t *testing.T) {
	skipOnWindows(t, "Windows cannot send SIGINT or SIGTERM to another process (os.Process.Signal sends only Kill there)")
	srv, path := serving(t)
	sub, err := net.Dial("unix", path)
	require.NoError(t, err)
	defer sub.Close()
	require.NoError(t, sub.(*net.UnixConn).SetReadBuffer(1024))
	rawSend(t, sub, true, `{"t":0,"d":{"id":"sleeper"}}`)
	rawSend(t, sub, false, `{"t":2,"d":{"sub":"news"},"n":"s1"}`)
	srv.waitStderr(t, "connected sleeper")

	pub, err := netipc.Dial(context.Background(), netipc.ClientOptions{Path: path, NoReconnect: true})
	require.NoError(t, err)
	defer pub.Destroy()
	msg := strings.Repeat("x", 1024)
	for i := 0; i < 10000; i++ {
		require.NoError(t, pub.Publish(context.Background(), "news", msg), "publication %d", i)
	}
	require.NoError(t, srv.cmd.Process.Signal(syscall.SIGTERM))
	require.Equal(t, exitSignal+int(syscall.SIGTERM), srv.exit(t), "stderr: %s", srv.stderr.String())
	assert.Contains(t, srv.stderr.String(), "uvpipe serve: closed\n")
}

// -max-connections refuses the client beyond it, which learns why;
// -group makes the socket file 0660 (0600 without).
func TestServeLimitsFlags(t *testing.T) {
	skipOnWindows(t, "Windows cannot send SIGINT or SIGTERM to another process (os.Process.Signal sends only Kill there)")
	path := socketPath(t)
	srv := start(t, "serve", "-max-connections", "1", "-group", path)
	srv.waitStderr(t, "uvpipe serve: listening on "+path+"\n")
	fi, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o660), fi.Mode().Perm())
	sub := subscribed(t, path, "news")
	code, _, errOut := runCLI(t, "", "ping", "-s", path)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "too many connections")
	require.NoError(t, sub.cmd.Process.Signal(syscall.SIGINT))
	require.Equal(t, exitSignal+int(syscall.SIGINT), sub.exit(t))
	require.NoError(t, srv.cmd.Process.Signal(syscall.SIGTERM))
	require.Equal(t, exitSignal+int(syscall.SIGTERM), srv.exit(t))

	srv2, path2 := serving(t)
	fi, err = os.Stat(path2)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	require.NoError(t, srv2.cmd.Process.Signal(syscall.SIGTERM))
	require.Equal(t, exitSignal+int(syscall.SIGTERM), srv2.exit(t))
}
