//go:build !windows

package main

import (
	"context"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/uvpipe/uvpipe/channel"
	"github.com/uvpipe/uvpipe/uv"
)

// bareChannelResult is what interop/channel-bench.js prints.
type bareChannelResult struct {
	PingPongNs     float64 `json:"pingpongNs"`
	PingPongSyncNs float64 `json:"pingpongSyncNs"`
}

// bareChannel times round trips of a number between two loops over a
// channel.Channel, each end's goroutine locked to its own thread, beside
// bare-channel between two Bare threads (interop/channel-bench.js, the
// faster of its event and blocking ping-pongs), as go test -bench
// ./channel/ does.
func bareChannel(j jsPeers, n int) (float64, float64, error, error) {
	bare, berr := j.bare()
	script, serr := j.script(filepath.Join("interop", "channel-bench.js"))
	if err := needAll(berr, serr, j.module("bare-channel")); err != nil {
		return 0, 0, err, nil
	}
	var base bareChannelResult
	// channel-bench.js also streams values; a small count keeps that short.
	if err := runJSON(&base, bare, script, strconv.Itoa(n), "1000"); err != nil {
		return 0, 0, nil, err
	}
	took, err := channelPingPong(n)
	return perOpNs(took, n), min(base.PingPongNs, base.PingPongSyncNs), nil, err
}

// channelPingPong makes n round trips between two loops over a channel and
// returns how long they took.
func channelPingPong(n int) (time.Duration, error) {
	la, err := uv.NewLoop()
	if err != nil {
		return 0, err
	}
	defer la.Close()
	lb, err := uv.NewLoop()
	if err != nil {
		return 0, err
	}
	defer lb.Close()
	ch := channel.New()
	a, err := ch.Connect(la)
	if err != nil {
		return 0, err
	}
	b, err := ch.Connect(lb)
	if err != nil {
		a.Close()
		return 0, err
	}
	ctx := context.Background()
	var wg sync.WaitGroup
	wg.Go(func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		for v := range b.All(ctx) {
			b.Write(ctx, v)
		}
		b.Close()
	})
	var took time.Duration
	var rerr error
	wg.Go(func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		defer a.Close()
		var start time.Time
		for i := 0; i < jsWarm+n; i++ {
			if i == jsWarm {
				start = time.Now()
			}
			if rerr = a.Write(ctx, i); rerr != nil {
				return
			}
			if _, rerr = a.Read(ctx); rerr != nil {
				return
			}
		}
		took = time.Since(start)
	})
	wg.Wait()
	<-a.Done()
	<-b.Done()
	return took, rerr
}
