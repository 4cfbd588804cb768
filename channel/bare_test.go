package channel_test

// bare-channel's test list (test.js), each with its peer on a loop and a
// goroutine of its own, as bare-channel's run in a Bare.Thread.

import (
	"fmt"
	"io"
	"net"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/channel"
	"github.com/uvpipe/uvpipe/uv"
	"github.com/uvpipe/uvpipe/uv/uvtest"
)

func TestBasic(t *testing.T) {
	ch := channel.New()
	join := thread(t, ch, echo(t))
	ctx := testCtx(t)
	port := connect(t, ch, uvtest.NewLoop(t))
	expected := []any{"ping", "pong"}
	for _, v := range expected {
		require.NoError(t, port.Write(ctx, v))
	}
	var got []any
	for v := range port.All(ctx) {
		got = append(got, v)
		if len(got) == len(expected) {
			break
		}
	}
	assert.Equal(t, expected, got)
	require.NoError(t, port.Close())
	join()
}

// read async: the values arrive through the event style, on the port's loop.
func TestReadAsync(t *testing.T) {
	ch := channel.New()
	join := thread(t, ch, echo(t))
	ctx := testCtx(t)
	l := uvtest.NewLoop(t)
	port := connect(t, ch, l)
	got := make(chan any, 2)
	port.OnMessage(func(v any, err error) {
		assert.True(t, l.InLoop(), "the handler runs on the port's loop")
		if err == nil {
			got <- v
		}
	})
	for _, v := range []string{"ping", "pong"} {
		require.NoError(t, port.Write(ctx, v))
	}
	for _, want := range []string{"ping", "pong"} {
		select {
		case v := <-got:
			assert.Equal(t, want, v)
		case <-ctx.Done():
			t.Fatal("no echo")
		}
	}
	require.NoError(t, port.Close())
	join()
}

func TestReadBlocking(t *testing.T) {
	ch := channel.New()
	join := thread(t, ch, echo(t))
	ctx := testCtx(t)
	port := connect(t, ch, uvtest.NewLoop(t))
	for _, v := range []string{"ping", "pong"} {
		require.NoError(t, port.Write(ctx, v))
	}
	for _, want := range []string{"ping", "pong"} {
		v, err := port.Read(ctx)
		require.NoError(t, err)
		assert.Equal(t, want, v)
	}
	require.NoError(t, port.Close())
	join()
}

// write blocking: a Write waits while the other end's queue is full, and
// goes on once the other end reads.
func TestWriteBlocking(t *testing.T) {
	ch := channel.New()
	ctx := testCtx(t)
	a := connect(t, ch, uvtest.NewLoop(t))
	b := connect(t, ch, uvtest.NewLoop(t))
	for i := range channel.Capacity {
		require.NoError(t, a.TryWrite(i))
	}
	assert.ErrorIs(t, a.TryWrite(-1), channel.ErrFull)
	wrote := make(chan error, 1)
	go func() { wrote <- a.Write(ctx, channel.Capacity) }()
	for i := range channel.Capacity + 1 {
		v, err := b.Read(ctx)
		require.NoError(t, err)
		require.Equal(t, i, v)
	}
	require.NoError(t, <-wrote)
	require.NoError(t, a.Close())
	_, err := b.Read(ctx)
	assert.ErrorIs(t, err, io.EOF)
	waitDone(t, b)
}

func TestBigEcho(t *testing.T) {
	const n = 100_000
	ch := channel.New()
	join := thread(t, ch, echo(t))
	ctx := testCtx(t)
	port := connect(t, ch, uvtest.NewLoop(t))
	consumed := make(chan []int, 1)
	go func() {
		read := make([]int, 0, n)
		for v := range port.All(ctx) {
			read = append(read, v.(int))
			if len(read) == n {
				break
			}
		}
		consumed <- read
	}()
	for i := range n {
		require.NoError(t, port.Write(ctx, i))
	}
	read := <-consumed
	require.Len(t, read, n)
	for i, v := range read {
		if v != i {
			t.Fatalf("value %d is %d", i, v)
		}
	}
	require.NoError(t, port.Close())
	join()
}

// unref: the peer's port does not keep its loop alive; when that loop ends,
// the port ends with it, and this side sees the end and closes.
func TestUnref(t *testing.T) {
	ch := channel.New()
	join := thread(t, ch, func(p *channel.Port, l *uv.Loop) { p.Unref() })
	port := connect(t, ch, uvtest.NewLoop(t))
	waitDone(t, port)
	_, err := port.Read(testCtx(t))
	assert.ErrorIs(t, err, io.EOF)
	join()
}

func TestClosePrimaryBeforeUnref(t *testing.T) {
	ch := channel.New()
	port := connect(t, ch, uvtest.NewLoop(t))
	require.NoError(t, port.Close())
	waitDone(t, port)
	join := thread(t, ch, func(p *channel.Port, l *uv.Loop) { p.Unref() })
	join()
}

func TestCloseSecondaryAfterUnref(t *testing.T) {
	ch := channel.New()
	join := thread(t, ch, func(p *channel.Port, l *uv.Loop) {
		p.Unref()
		p.Close()
	})
	port := connect(t, ch, uvtest.NewLoop(t))
	waitDone(t, port) // closed by itself, with nothing to read
	join()
}

func TestWriteAfterRemoteEnd(t *testing.T) {
	ch := channel.New()
	join := thread(t, ch, func(p *channel.Port, l *uv.Loop) { p.Close() })
	port := connect(t, ch, uvtest.NewLoop(t))
	waitDone(t, port)
	assert.ErrorIs(t, port.Write(testCtx(t), "ping"), channel.ErrEnded)
	assert.ErrorIs(t, port.TryWrite("ping"), channel.ErrEnded)
	join()
}

func TestCloseImmediatelyAfterWrite(t *testing.T) {
	ch := channel.New()
	got := make(chan any, 1)
	join := thread(t, ch, func(p *channel.Port, l *uv.Loop) {
		v, err := p.Read(testCtx(t))
		assert.NoError(t, err)
		got <- v
		_, err = p.Read(testCtx(t))
		assert.ErrorIs(t, err, io.EOF)
	})
	port := connect(t, ch, uvtest.NewLoop(t))
	require.NoError(t, port.Write(testCtx(t), "Hello"))
	require.NoError(t, port.Close())
	join()
	assert.Equal(t, "Hello", <-got)
}

func TestReadStream(t *testing.T) {
	ch := channel.New()
	join := thread(t, ch, func(p *channel.Port, l *uv.Loop) {
		for i := range 1000 {
			assert.NoError(t, p.Write(testCtx(t), fmt.Sprintf("%d\n", i)))
		}
		p.Close()
	})
	port := connect(t, ch, uvtest.NewLoop(t))
	all, err := io.ReadAll(port.Reader())
	require.NoError(t, err)
	var want []byte
	for i := range 1000 {
		want = fmt.Appendf(want, "%d\n", i)
	}
	assert.Equal(t, string(want), string(all))
	waitDone(t, port)
	join()
}

func TestWriteStream(t *testing.T) {
	ch := channel.New()
	join := thread(t, ch, func(p *channel.Port, l *uv.Loop) {
		w := p.Writer()
		for i := range 1000 {
			_, err := w.Write([]byte(strconv.Itoa(i)))
			assert.NoError(t, err)
		}
		assert.NoError(t, w.Close())
	})
	port := connect(t, ch, uvtest.NewLoop(t))
	var received []string
	for v := range port.All(testCtx(t)) {
		received = append(received, string(v.([]byte)))
	}
	require.Len(t, received, 1000)
	for i, s := range received {
		assert.Equal(t, strconv.Itoa(i), s)
	}
	join()
}

func TestBothSidesClose(t *testing.T) {
	ch := channel.New()
	join := thread(t, ch, func(p *channel.Port, l *uv.Loop) { assert.NoError(t, p.Close()) })
	port := connect(t, ch, uvtest.NewLoop(t))
	require.NoError(t, port.Close())
	join()
	_, err := port.Read(testCtx(t))
	assert.Error(t, err)
}

func TestBothSidesUnref(t *testing.T) {
	ch := channel.New()
	a := thread(t, ch, func(p *channel.Port, l *uv.Loop) { p.Unref() })
	b := thread(t, ch, func(p *channel.Port, l *uv.Loop) {
		err := p.Write(testCtx(t), "foo")
		if err != nil {
			assert.ErrorIs(t, err, channel.ErrEnded, "the other thread may have ended first")
		}
		p.Unref()
	})
	a()
	b()
}

func TestBothSidesUnrefOnOneLoop(t *testing.T) {
	ch := channel.New()
	l, err := uv.NewLoop()
	require.NoError(t, err)
	a := connect(t, ch, l)
	b := connect(t, ch, l)
	a.Unref()
	b.Unref()
	assert.Equal(t, 0, l.Refs())
	require.NoError(t, l.Wait(testCtx(t)))
	require.NoError(t, l.Close())
	waitDone(t, a)
	waitDone(t, b)
	assert.ErrorIs(t, a.Write(testCtx(t), "x"), channel.ErrEnded)
}

func TestThirdConnectFails(t *testing.T) {
	ch := channel.New()
	l := uvtest.NewLoop(t)
	a := connect(t, ch, l)
	b := connect(t, ch, l)
	_, err := ch.Connect(l)
	assert.ErrorIs(t, err, channel.ErrFullyConnected)
	require.NoError(t, a.Close())
	require.NoError(t, b.Close())
}

func TestPortKeepsLoopAlive(t *testing.T) {
	ch := channel.New()
	l := uvtest.NewLoop(t)
	a := connect(t, ch, l)
	assert.Equal(t, 1, l.Refs())
	assert.True(t, a.HasRef())
	a.Unref()
	assert.Equal(t, 0, l.Refs())
	a.Ref()
	assert.Equal(t, 1, l.Refs())
	require.NoError(t, a.Close())
	assert.Equal(t, 0, l.Refs())
	assert.ErrorIs(t, a.Write(testCtx(t), 1), net.ErrClosed)
	_, err := a.Read(testCtx(t))
	assert.ErrorIs(t, err, net.ErrClosed)
}

// Writers and readers on many goroutines at once: every value arrives once.
func TestConcurrentWritersAndReaders(t *testing.T) {
	ch := channel.New()
	ctx := testCtx(t)
	a := connect(t, ch, uvtest.NewLoop(t))
	b := connect(t, ch, uvtest.NewLoop(t))
	const writers, each = 4, 20000
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				if err := a.Write(ctx, w*each+i); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	seen := make([]bool, writers*each)
	var mu sync.Mutex
	var rg sync.WaitGroup
	for range 3 {
		rg.Add(1)
		go func() {
			defer rg.Done()
			for v := range b.All(ctx) {
				mu.Lock()
				assert.False(t, seen[v.(int)])
				seen[v.(int)] = true
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	require.NoError(t, a.Close())
	rg.Wait()
	for i, s := range seen {
		if !s {
			t.Fatalf("value %d never arrived", i)
		}
	}
	waitDone(t, b)
}

// A handler that gets values on one loop can close the port from inside.
func TestHandlerSeesEndAndPortCloses(t *testing.T) {
	ch := channel.New()
	ctx := testCtx(t)
	l := uvtest.NewLoop(t)
	b := connect(t, ch, l)
	var got []any
	ended := make(chan struct{})
	b.OnMessage(func(v any, err error) {
		if err == io.EOF {
			close(ended)
			return
		}
		got = append(got, v)
	})
	a := connect(t, ch, uvtest.NewLoop(t))
	for i := range 3000 { // more than a batch and more than the queue
		require.NoError(t, a.Write(ctx, i))
	}
	require.NoError(t, a.Close())
	select {
	case <-ended:
	case <-ctx.Done():
		t.Fatal("the handler never saw the end")
	}
	waitDone(t, b)
	require.Len(t, got, 3000)
	for i, v := range got {
		require.Equal(t, i, v)
	}
}
