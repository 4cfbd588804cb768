package channel_test

import (
	"bytes"
	"context"
	"io"
	"net"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/channel"
	"github.com/uvpipe/uvpipe/uv"
	"github.com/uvpipe/uvpipe/uv/uvtest"
)

// skipOnWindows skips a test in the Windows build, for the reason why.
func skipOnWindows(t *testing.T, why string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("not on Windows: " + why)
	}
}

// wait bounds every wait of a test.
const wait = 20 * time.Second

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	t.Cleanup(cancel)
	return ctx
}

// thread runs fn on a goroutine with a loop of its own, as bare-channel's
// tests run a Bare.Thread: the loop closes when fn returns, and the
// returned function waits for all that.
func thread(t *testing.T, ch *channel.Channel, fn func(p *channel.Port, l *uv.Loop)) (join func()) {
	t.Helper()
	l := uvtest.NewLoop(t)
	done := make(chan struct{})
	go func() {
		defer close(done)
		p, err := ch.Connect(l)
		if err != nil {
			t.Error(err)
			return
		}
		fn(p, l)
		// As a Bare thread: run until nothing keeps the loop alive.
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()
		if err := l.Wait(ctx); err != nil {
			t.Errorf("the thread's loop never went idle: %v", err)
		}
		l.Close()
	}()
	return func() {
		t.Helper()
		select {
		case <-done:
		case <-time.After(wait):
			t.Fatal("the thread did not end")
		}
	}
}

// echo is bare-channel's test peer: it writes back what it reads until the
// end.
func echo(t *testing.T) func(p *channel.Port, l *uv.Loop) {
	return func(p *channel.Port, l *uv.Loop) {
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()
		for v := range p.All(ctx) {
			if err := p.Write(ctx, v); err != nil {
				t.Errorf("echo: %v", err)
				break
			}
		}
		p.Close()
	}
}

func waitDone(t *testing.T, p *channel.Port) {
	t.Helper()
	select {
	case <-p.Done():
	case <-time.After(wait):
		t.Fatal("the port did not close")
	}
}

func connect(t *testing.T, ch *channel.Channel, l *uv.Loop) *channel.Port {
	t.Helper()
	p, err := ch.Connect(l)
	require.NoError(t, err)
	return p
}

// checkEcho writes greeting (which the server takes and does not echo) and
// then want to c from a goroutine, in chunks whose sizes next gives from the
// previous one, reads the echo of want meanwhile, and checks it.
func checkEcho(t *testing.T, c net.Conn, greeting, want []byte, next func(n int) int, what string) {
	t.Helper()
	go func() {
		if len(greeting) > 0 {
			if _, err := c.Write(greeting); err != nil {
				return
			}
		}
		for off, n := 0, next(0); off < len(want); off, n = off+n, next(n) {
			if _, err := c.Write(want[off:min(off+n, len(want))]); err != nil {
				return
			}
		}
	}()
	got := make([]byte, len(want))
	if _, err := io.ReadFull(c, got); !assert.NoError(t, err, what) {
		return
	}
	assert.True(t, bytes.Equal(want, got), "%s: bytes lost or out of order", what)
}
