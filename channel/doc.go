// Package channel is bare-channel for Go: point-to-point messaging between
// uv loops, each of which may be led by a different goroutine and thread.
// Values pass by reference by default, as over a Go channel: nothing is
// copied, which is what Go code sharing one address space expects and
// costs nothing per value; a channel made with
// Config{Clone: structuredclone.Clone} copies each value through the
// JavaScript value model instead, as bare-channel's structured clone does
// (see Values). The copy is a hook: package channel imports no codec.
// Write(nil) delivers nil: the end is
// io.EOF from Read, never a value, so nil needs no special meaning (in
// bare-channel write(null) sends nothing, since its read() returns null at
// the end); Close ends a port.
//
// A [Channel] has two ends. Each is connected on a loop ([Channel.Connect])
// and becomes a [Port] bound to that loop; a third Connect fails with
// [ErrFullyConnected]. The Channel itself is a plain Go value, handed to the
// code that runs the other loop.
//
// A port reads with [Port.Read] (the next value, io.EOF at the other end's
// end), with a range loop over [Port.All] or, typed, over [ReadValues]
// (whose counterpart [WriteValues] writes a sequence), as a byte stream
// ([Port.Reader], [Port.Writer], and [Port.Stream] for both ways,
// bare-channel's createStream), or in the event style: [Port.OnMessage] runs a handler on
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
// A channel made by [Config.New] with a Clone hook sends the copy the hook
// makes instead, so the writer may change the value at once. With
// structuredclone.Clone (package ipc/structuredclone) the copy is
// bare-channel's: the value turned into the JavaScript value model of
// package ipc/jsvalue and copied deeply by bare-structured-clone's own
// round trip (shared references and cycles kept); the reader gets model
// values (a struct or map as a *jsvalue.Object, numbers as float64), which
// [ReadValues] assigns back into a Go type with the Config's Assign hook,
// jsvalue.Assign:
//
//	ch := channel.Config{Clone: structuredclone.Clone, Assign: jsvalue.Assign}.New()
//
// Whatever the hook, Write refuses with [ErrNotClonable], nothing sent, a
// value holding a function, a Go channel, a *Channel or a *Port, which no
// copy stands for; a value the hook fails on (for structuredclone.Clone: a
// complex number, an unsafe pointer, a cycle through plain Go pointers) is
// refused the same way.
//
// # Moving handles
//
// A *pipe.Pipe, *pipe.Server, *uv.TCP, *uv.UDP or *uv.Pipe written to a
// port moves to the reading port's loop: Write detaches it from its loop
// (its queued writes are done first, and it closes without closing its
// fd), and the reader gets a live handle of the same type on its own loop
// that returns first the bytes the old one had read and not returned, so
// nothing is lost from the read side. An IPC pipe takes along the handles
// it received and nobody took yet, in place in its bytes (only handles
// still pending inside libuv, which no other handle can take over, make
// the write fail). A listener keeps listening while it moves (connections
// queue in its backlog), listens again on the reader's loop with the same
// backlog, hands out first the connection its old loop had accepted, and a
// pipe server keeps its socket file. A user type takes part by implementing
// [Transferable] (detach on the writer's side, attach on the reader's
// loop).
//
// What the reading end never reads is closed when it closes. What is
// written toward an end that never connects waits for it, and is closed
// once the channel can never deliver it: when [Channel.Close] gives up on
// that end, or when the Channel is unreachable (a runtime cleanup then does
// what Close does); until then the end could still connect and read it.
//
// # Mechanism
//
// Each direction is a bounded single-producer, single-consumer ring of
// [Capacity] (1024) values. A writer that finds it full waits (backpressure)
// until the reader frees a slot. A reader that finds it empty polls it for
// a short budget (spinBudget), when another P can run the writer meanwhile
// (GOMAXPROCS > 1), and then waits for the writer's signal: an answer from
// another thread usually comes within it, while waking a sleeping thread
// costs a futex call and, in a VM, an interrupt to another vCPU (Go's
// scheduler and adaptive mutexes spin before they sleep for the same
// reason); an idle reader so costs at most the budget in CPU per wait. A port in the event style is woken
// through a uv_async_t
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
// x-bare). For streaming x-… is a rate ratio (higher is better), for
// ping-pong a time ratio (lower is better). Values pass by reference where
// bare-channel serializes each one. The figures are in docs/performance.md.
//
// # Several loops
//
// The multi-loop TCP echo server of the example (one loop accepts, worker
// loops serve, connections move through channels) pays where serving costs
// CPU beyond the syscalls that carry the requests: WorkServer (each request
// answered with a SHA-256 computation) grows with a second worker loop when
// a second core is free, while EchoServer, a pure echo, does not: an echo
// costs the server about what sending it costs the clients, which share the
// same cores, and a second loop thread only adds cross-CPU wake-ups. So a
// second loop helps when the cores it would use are free and the handlers
// do real work; a loop on its own is enough for an I/O-bound server.
//
// # Backpressure in the event style
//
// A handler that writes back from OnRead cannot wait for the peer to read,
// so what the socket does not take queues in libuv. The example stops
// reading a connection whose uv.Stream.WriteQueueSize passes a high-water
// mark and starts again when uv.Stream.OnWriteDone reports the queue below
// a quarter of it: a client that sends 64 MiB before reading leaves at most
// the mark plus one read's echo queued (TestEchoServerBackpressureBoundsTheQueue).
//
// # Ending
//
// [Port.Close] ends one side, as bare-channel's handshake: the other side
// reads everything written before the Close, then io.EOF (its handler gets
// io.EOF), and closes in turn; its writes fail with [ErrEnded] from the
// moment this side has closed. A port also ends when its loop closes. A port
// keeps its loop alive until it has closed (uv.Loop.Wait counts it) unless
// it is unreferenced with [Port.Unref]. [Channel.Close] ends the ends not
// connected yet, as if each had connected and closed at once.
package channel
