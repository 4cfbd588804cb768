// Package channel is bare-channel for Go: point-to-point messaging between
// uv loops, each of which may be led by a different goroutine and thread.
//
// A [Channel] has two ends. Each is connected on a loop ([Channel.Connect])
// and becomes a [Port] bound to that loop; a third Connect fails with
// [ErrFullyConnected]. The Channel itself is a plain Go value, handed to the
// code that runs the other loop.
//
// A port reads with [Port.Read] (the next value, io.EOF at the other end's
// end), with a range loop over [Port.All], as a byte stream ([Port.Reader],
// [Port.Writer]), or in the event style: [Port.OnMessage] runs a handler on
// the port's loop, under its lock, as values arrive, so loop-bound code
// needs no goroutine. It writes with [Port.Write], which waits while the
// other end's queue is full, or [Port.TryWrite], which does not.
//
// # Values
//
// Values pass by reference, as over a Go channel: nothing is copied or
// serialized, and the reader gets the very pointer, slice or map the writer
// wrote, which the writer must then leave alone.
//
// # Moving handles
//
// A *pipe.Pipe, *uv.TCP, *uv.UDP or *uv.Pipe written to a port moves to
// the reading port's loop: Write detaches it from its loop (its queued
// writes are done first, and it closes without closing its fd), and the
// reader gets a live handle of the same type on its own loop that returns
// first the bytes the old one had read and not returned, so nothing is lost
// from the read side. A user type takes part by implementing [Transferable]
// (detach on the writer's side, attach on the reader's loop). What the
// reading end never reads is closed when it closes.
//
// # Mechanism
//
// Each direction is a bounded single-producer, single-consumer ring of
// [Capacity] (1024) values. A writer that finds it full waits (backpressure)
// until the reader frees a slot. A reader that finds it empty waits for the
// writer's signal; a port in the event style is woken through a uv_async_t
// on its own loop instead, one wake-up for any number of writes before it
// runs, and each wake-up delivers up to 256 values before the loop gets on
// with its other work. No lock is held across a loop callback.
//
// # Performance
//
// go test -run - -bench . ./channel/ (add taskset -c 0 for one CPU) measures,
// in one run: streaming to a goroutine reader (StreamReadWrite) and to a
// handler (StreamToHandler), in ns per value; ping-pong between two loops
// with both goroutines locked to their own OS threads (PingPong, ns/rt;
// PingPongUnlocked leaves them to the scheduler). Each reports beside it a Go
// channel between two locked goroutines (gochan-…, x-gochan) and
// bare-channel between two Bare threads under the pinned bare (bare-…,
// x-bare; interop/channel-bench.js with numbers as values, the faster of its
// async and blocking variants). For streaming x-… is a rate ratio (higher is
// better), for ping-pong a time ratio (lower is better). Values here pass by
// reference where bare-channel serializes each one, so streaming is an
// order of magnitude faster than bare's; a locked round trip is two thread
// wake-ups, as a Go channel's, and costs what it does. EchoServer runs the
// multi-loop TCP echo server of the example with 1 and 2 worker loops
// (req/s, and x-1worker) against 16 ping-pong clients of Go's net package;
// on a 2-core machine those clients use about as much CPU as the server, so
// a second worker does not pay: about 1.1× on one CPU, 0.7-0.85× free, where
// the extra loop thread adds cross-CPU wake-ups.
//
// # Ending
//
// [Port.Close] ends one side, as bare-channel's handshake: the other side
// reads everything written before the Close, then io.EOF (its handler gets
// io.EOF), and closes in turn; its writes fail with [ErrEnded] from the
// moment this side has closed. A port also ends when its loop closes. A port
// keeps its loop alive until it has closed (uv.Loop.Wait counts it) unless
// it is unreferenced with [Port.Unref].
package channel
