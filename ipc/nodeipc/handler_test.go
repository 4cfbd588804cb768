//go:build !windows

package nodeipc_test

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/ipc/nodeipc"
	"github.com/uvpipe/uvpipe/ipc/nodejson"
)

// event is one call of a Handler, as a test records it.
type event struct {
	m    nodeipc.Message
	err  error
	done bool // c.Done() was closed during the call
}

// recorder is a Handler that passes each call on over a channel.
func recorder() (nodeipc.Handler, <-chan event) {
	ev := make(chan event, 128)
	return func(c *nodeipc.Channel, m nodeipc.Message, err error) {
		done := false
		select {
		case <-c.Done():
			done = true
		default:
		}
		ev <- event{m: m, err: err, done: done}
	}, ev
}

func nextEvent(t *testing.T, ev <-chan event) event {
	t.Helper()
	select {
	case e := <-ev:
		return e
	case <-time.After(20 * time.Second):
		t.Fatal("no handler call within 20 s")
		return event{}
	}
}

func TestHandlerGetsMessagesErrorsAndEnd(t *testing.T) {
	ch, p := rawPair(t, nodeipc.JSON)
	p.write("\"before\"\n") // received before the handler is set
	time.Sleep(10 * time.Millisecond)
	h, ev := recorder()
	require.NoError(t, ch.OnMessage(h))
	require.ErrorIs(t, ch.OnMessage(h), nodeipc.ErrHandlerSet)
	_, err := ch.Recv(context.Background())
	require.ErrorIs(t, err, nodeipc.ErrHandlerSet)

	p.write("{oops\n\"after\"\n")
	e := nextEvent(t, ev)
	require.Equal(t, "before", e.m.Value)
	require.NoError(t, e.err)
	var se *nodejson.SyntaxError
	e = nextEvent(t, ev)
	require.ErrorAs(t, e.err, &se)
	require.False(t, e.done)
	require.Equal(t, "after", nextEvent(t, ev).m.Value)

	require.NoError(t, p.close())
	e = nextEvent(t, ev)
	require.ErrorIs(t, e.err, io.EOF)
	require.True(t, e.done)
	select {
	case e := <-ev:
		t.Fatalf("a call after the last one: %+v", e)
	case <-time.After(20 * time.Millisecond):
	}
}

func TestHandlerFromOptionsRepliesAndCloses(t *testing.T) {
	for _, mode := range modes {
		t.Run(string(mode), func(t *testing.T) {
			ends := make(chan error, 1)
			ch := startNodeOptions(t, nodeipc.Options{Serialization: mode, OnMessage: func(c *nodeipc.Channel, m nodeipc.Message, err error) {
				select {
				case <-c.Done():
					ends <- err
					return
				default:
				}
				if err != nil {
					t.Errorf("handler: %v", err)
					return
				}
				n, _ := m.Value.(float64)
				if n < 100 {
					c.Send(n + 1) // replies run on the handler's goroutine
					return
				}
				c.Close() // a handler may close its channel
			}})
			require.NoError(t, ch.Send(0.0))
			select {
			case err := <-ends:
				require.ErrorIs(t, err, nodeipc.ErrChannelClosed)
			case <-time.After(20 * time.Second):
				t.Fatal("the handler did not reach 100 within 20 s")
			}
		})
	}
}
