//go:build cgo

package uv_test

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/uv"
)

// panicChildPrefix makes the re-executed test binary a program whose
// handler of the named kind panics (see runPanicChild).
const panicChildPrefix = "panic-"

// A handler's panic ends the program with the handler's own stack; it never
// reaches a goroutine that happened to lead the loop. Each kind of handler
// panics while another goroutine, ready to recover anything, blocks in a
// Read on the same loop (and so leads it).
func TestHandlerPanicIsFatalWithTheHandlersStack(t *testing.T) {
	for _, kind := range []string{"timer", "async", "post", "read", "connection"} {
		t.Run(kind, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), childEnv+"="+panicChildPrefix+kind)
			out, err := cmd.CombinedOutput()
			text := string(out)
			assert.NotContains(t, text, "recovered by a bystander")
			var exit *exec.ExitError
			require.ErrorAs(t, err, &exit, "the program must crash; it printed:\n%s", text)
			assert.Equal(t, 2, exit.ExitCode(), "the exit status of an unrecovered panic")
			assert.Contains(t, text, "uv: a handler panicked: boom from the "+kind+" handler")
			assert.Contains(t, text, "panickingHandler", "the handler's frames are in the message")
		})
	}
}

// panickingHandler is the handler of every kind: its name must show in the
// crash.
func panickingHandler(kind string) {
	panic(fmt.Sprintf("boom from the %s handler", kind))
}

// runPanicChild sets up a handler of the given kind that panics, with a
// bystander goroutine blocked in a Read that would recover a panic raised
// in it and exit 0.
func runPanicChild(kind string) int {
	l, err := uv.NewLoop()
	if err != nil {
		return 10
	}
	quiet, peer, err := connectPipes(l, l, false)
	if err != nil {
		return 11
	}
	reading := make(chan struct{})
	go func() {
		defer func() {
			if r := recover(); r != nil {
				fmt.Println("recovered by a bystander:", r)
				os.Exit(0)
			}
		}()
		close(reading)
		quiet.Read(make([]byte, 64)) // nothing ever comes
	}()
	<-reading
	switch kind {
	case "timer":
		tm, _ := uv.NewTimer(l, func() { panickingHandler(kind) })
		tm.Start(time.Millisecond, 0)
	case "async":
		a, _ := uv.NewAsync(l, func() { panickingHandler(kind) })
		a.Send()
	case "post":
		l.Post(func() { panickingHandler(kind) })
	case "read":
		peer.OnRead(func([]byte, error) { panickingHandler(kind) })
		quiet.Write([]byte("x"))
	case "connection":
		path, cleanup, err := listenPath()
		if err != nil {
			return 16
		}
		defer cleanup()
		srv, _ := uv.NewPipe(l, false, 0)
		if err := srv.Bind(path); err != nil {
			return 12
		}
		srv.OnConnection(func(error) { panickingHandler(kind) })
		if err := srv.Listen(1); err != nil {
			return 13
		}
		if _, err := dialPath(path); err != nil {
			return 14
		}
	default:
		return 15
	}
	<-time.After(time.Minute) // the crash comes first
	fmt.Println("no crash")
	return 3
}

func init() {
	// Dispatch the panic children before TestMain's echo peers.
	if mode := os.Getenv(childEnv); strings.HasPrefix(mode, panicChildPrefix) {
		os.Exit(runPanicChild(strings.TrimPrefix(mode, panicChildPrefix)))
	}
}
