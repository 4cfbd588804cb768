package channel_test

import (
	"context"
	"fmt"

	"github.com/uvpipe/uvpipe/channel"
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
