package channel_test

import (
	"context"
	"fmt"

	"github.com/uvpipe/uvpipe/channel"
	"github.com/uvpipe/uvpipe/ipc/jsvalue"
	"github.com/uvpipe/uvpipe/ipc/structuredclone"
	"github.com/uvpipe/uvpipe/uv"
)

// Two loops talk over a channel: one end answers in the event style, on its
// own loop, the other writes and reads from a goroutine.
func Example() {
	worker, _ := uv.NewLoop()
	defer worker.Close()
	ch := channel.New()

	// The worker's end doubles what it gets, on the worker's loop.
	w, _ := ch.Connect(worker)
	w.OnMessage(func(v any, err error) {
		if err == nil {
			w.TryWrite(v.(int) * 2)
		}
	})

	// This end runs on the default loop.
	p, _ := ch.Connect(nil)
	ctx := context.Background()
	for i := 1; i <= 3; i++ {
		p.Write(ctx, i)
		v, _ := p.Read(ctx)
		fmt.Println(v)
	}
	p.Close()
	<-w.Done() // the worker's end saw the end and closed
	// Output:
	// 2
	// 4
	// 6
}

// A cloning channel copies each value as bare-channel does, so the writer
// may change it at once; ReadValues gives the values back as a Go type.
// The copy and its way back are hooks from the codec packages.
func ExampleConfig() {
	ch := channel.Config{Clone: structuredclone.Clone, Assign: jsvalue.Assign}.New()
	a, _ := ch.Connect(nil)
	b, _ := ch.Connect(nil)
	ctx := context.Background()

	type job struct {
		ID   int
		Tags []string
	}
	j := job{ID: 1, Tags: []string{"first"}}
	a.Write(ctx, j)
	j.Tags[0] = "changed after the write"
	a.Close()

	for v, err := range channel.ReadValues[job](ctx, b) {
		fmt.Println(v, err)
	}
	b.Close()
	// Output: {1 [first]} <nil>
}
