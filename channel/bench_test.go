package channel_test

import (
	"context"
	"runtime"
	"testing"

	"github.com/uvpipe/uvpipe/channel"
	"github.com/uvpipe/uvpipe/uv/uvtest"
)

// Streaming: one goroutine writes b.N values, another reads them, each end
// on a loop of its own.
func BenchmarkStreamReadWrite(b *testing.B) {
	ch := channel.New()
	a, r := connect2(b, ch)
	ctx := context.Background()
	done := make(chan struct{})
	go func() {
		for range b.N {
			r.Read(ctx)
		}
		close(done)
	}()
	for i := range b.N {
		a.Write(ctx, i)
	}
	<-done
	a.Close()
	<-r.Done()
}

// Streaming into the event style: the values are delivered on the reading
// port's loop.
func BenchmarkStreamToHandler(b *testing.B) {
	ch := channel.New()
	a, r := connect2(b, ch)
	ctx := context.Background()
	n, done := 0, make(chan struct{})
	r.OnMessage(func(v any, err error) {
		if err == nil {
			if n++; n == b.N {
				close(done)
			}
		}
	})
	for i := range b.N {
		a.Write(ctx, i)
	}
	<-done
	a.Close()
	<-r.Done()
}

// Ping-pong: a round trip through both directions, with an echoing
// goroutine on the other loop.
func BenchmarkPingPong(b *testing.B) {
	ch := channel.New()
	a, r := connect2(b, ch)
	ctx := context.Background()
	go func() {
		for v := range r.All(ctx) {
			r.Write(ctx, v)
		}
	}()
	for i := range b.N {
		a.Write(ctx, i)
		a.Read(ctx)
	}
	a.Close()
	<-r.Done()
}

// The baselines: Go channels between two goroutines, each locked to its own
// OS thread (the same wake-up cost).
func BenchmarkGoChanStream(b *testing.B) {
	c := make(chan any, channel.Capacity)
	done := make(chan struct{})
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		for range b.N {
			<-c
		}
		close(done)
	}()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	for i := range b.N {
		c <- i
	}
	<-done
}

func BenchmarkGoChanPingPong(b *testing.B) {
	ping, pong := make(chan any), make(chan any)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		for v := range ping {
			pong <- v
		}
	}()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	for i := range b.N {
		ping <- i
		<-pong
	}
	close(ping)
}

func connect2(b *testing.B, ch *channel.Channel) (*channel.Port, *channel.Port) {
	b.Helper()
	a, err := ch.Connect(uvtest.NewLoop(b))
	if err != nil {
		b.Fatal(err)
	}
	r, err := ch.Connect(uvtest.NewLoop(b))
	if err != nil {
		b.Fatal(err)
	}
	return a, r
}
