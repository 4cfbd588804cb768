// Package uv drives libuv from Go. It is the only package of uvpipe that
// imports "C"; pipe, ipc and channel stand on it.
//
// # Loops, leader/follower
//
// A [Loop] is one libuv loop behind a loop lock: libuv is never entered by two
// threads at once. There is no dedicated loop thread. A goroutine that needs
// progress (a Read with nothing buffered, a Write the socket cannot take, an
// Accept, a Close) leads: it waits for the loop's backend fd without the lock,
// then takes the lock and runs one non-blocking pass of the loop (uv_run with
// UV_RUN_NOWAIT), and checks its own condition. The leader waits in a
// blocking epoll_wait on libuv's epoll instance (poll(2) off Linux), like a
// blocking read. When that wait saw exactly one fd ready and libuv has
// nothing else to do (no timer due, nothing pending or closing), the leader
// calls that fd's libuv watcher itself, with the events libuv would give it,
// instead of a pass whose own epoll_wait(0) would only see the same event: a
// blocking Read then costs epoll_wait and the read, as with a raw
// non-blocking socket. A blocking Read that waits takes a read that did not
// fill its buffer (its own lent buffer, or the handle's C buffer when the
// read brought no handle) after the pass, rather than being handed it by a
// read callback: one C-to-Go crossing fewer per message (0.3–0.5 µs per
// round trip pinned; the next use of the C buffer hands such bytes over
// first, so bytes and handles keep their order). A 64-byte
// ping-pong between two processes costs about 1.1× plain blocking
// read/write syscalls made from Go, pinned to one CPU (0.90× in uvpipe
// bench; Go's own blocking syscalls pay for the scheduler too, see the held
// wait below), where parking in Go's netpoller (LoopConfig.Netpoller)
// costs 1.9–2.1×. Either way at
// most one OS thread per loop waits, and followers wait as goroutines.
// Before it blocks, a leader whose pass ran handlers or woke followers
// yields (runtime.Gosched, twice), and with GOMAXPROCS 1 so does one that
// finds a goroutine waiting for the P (the runtime/metrics count of
// runnable goroutines, 45 ns to read where a yield costs about 0.12 µs): a
// blocking syscall keeps its P until sysmon takes it back, so goroutines the
// pass or the caller made runnable (a request answered in a read callback,
// a follower, a worker sent a message) would otherwise wait 20 µs or more,
// about 150 µs here. With more Ps and nothing made runnable it does not
// yield: the yield would only hand the leader to another thread (a read
// handed to a blocking Read counts as nothing made runnable: free Go↔Go
// ping-pong over the Node channel 4.2–4.6 → 3.5–4.1 µs).
// With GOMAXPROCS above 1, a leader about to block first polls the backend
// fd for up to LoopConfig.Spin (DefaultSpin, 50 µs; the UVPIPE_SPIN
// environment variable changes the default, "0" turns it off), yielding its
// P between looks: on several CPUs the answer of another thread or process
// usually comes sooner than the kernel wakes a sleeping thread (30 µs or
// more on this VM, where two C processes ping-ponging with blocking reads
// take 62–69 µs per round trip and polling ones 3.5). The spin must outlast
// that wake-up: with 20 µs, one side that slept made the other's spin run
// out too, and about one wait in five slept (a free Go parent/child json
// ping-pong over the Node channel: 20–23 µs per round trip); with 50 µs,
// 2.5% (11.6 µs); 100 µs, under 1% (8.3–9.7 µs). An idle leader pays at
// most the spin in CPU per event before it sleeps.
// With one P (GOMAXPROCS 1, as under taskset to one CPU), where a spin
// would keep the CPU from the peer, a leader instead first waits in the
// kernel without giving its P up (epoll_pwait2 as a raw system call), for
// up to LoopConfig.Hold (DefaultHold, 5 ms; UVPIPE_HOLD). A blocking system
// call would hand the P to the scheduler, whose monitor thread, with one P,
// then takes it back and wakes threads, ticking every 20 µs through a
// ping-pong: pinned, the same Go parent/child ping-pong took 9.7 µs with a
// blocking wait and 7.3–8.8 held. A wait holds only while no other
// goroutine waits for the P or is in a system call or cgo call (a leader of
// another loop blocked in its wait counts), and holds grow rarer after
// holds that ran out; while one holds, timers and network I/O of other
// goroutines wait for it, at most the hold (Go itself lets a goroutine run
// 10 ms before it preempts it, and preempts a holding leader the same way).
// Others that need progress meanwhile follow: they sleep until the leader's
// pass is over and look again; one of them leads when the leader is done.
// When no goroutine needs progress, one background goroutine per loop leads,
// so event handlers, timers, accepts and handle passing keep running.
//
// [Default] is a process-wide loop whose background leader starts on first
// use. [NewLoop] makes more (one per core, say); [Loop.Close] ends one.
//
// # Handlers
//
// Event-style handlers (a stream's read handler, a server's connection
// handler, a timer) run under the loop lock on whichever goroutine leads. They
// must not block. Inside a handler, and inside a function given to
// [Loop.Do], the handle methods still work: they see that the calling thread
// already holds the loop lock, never wait, and start what cannot finish at
// once (a Close completes after the handler returns; a Write queues what the
// socket does not take). A panic in a handler stops that pass of the loop and
// is raised again in the goroutine that led it, after the lock is released: it
// never unwinds through libuv's frames.
//
// # Loops and locks
//
// Code that holds one loop's lock (a handler of loop A, or a function given
// to A's Do) never waits for another loop's lock, nor for another loop's
// progress: two loops each waiting for the other's lock would both stop for
// good. Work for loop B is handed to B, with [Loop.Post] (uv_async_send, as
// libuv intends); what needs its result waits for it outside A's lock, and a
// handler does not wait at all. Entering a loop saves the thread's current
// loop and leaving restores it, so [Loop.InLoop] stays true in A's handler
// after a call on B. From inside loop A, calls on loop B and its handles
// keep the rule this way:
//
//   - Post queues the function on B and returns; after Close has begun it
//     returns ErrLoopClosed.
//   - Stream.Write (and Pipe.WriteHandle, WriteHandleAndClose, WriteFD)
//     returns len(p) without waiting, as a Write inside a handler does: when
//     B's lock is free it writes what the socket takes and queues a copy of
//     the rest; when B is busy it posts a copy of p (a handle to send goes as
//     a duplicate of its fd where it belongs to neither loop). A failure of
//     that write is returned by a later Write.
//   - Handle.Close starts the close (posting it when B is busy) and returns
//     at once, as inside a handler.
//   - Received.AcceptInto, and Pipe.AcceptHandle of A's pipe into a target
//     on B, hand the fd to B and return: the target opens it there, and its
//     IPCAccepted hook runs there; an fd the target cannot take is closed.
//   - Loop.Do, Loop.Close, Loop.Wait, Loop.Run, Pipe.Connect, Detach and
//     Detached.Attach return ErrWouldBlock without doing anything; so do
//     making a handle on B, Pipe.AcceptHandle on B's pipe, Handle.Control and
//     opening an fd on B when B is busy. Pipe.Accept returns a connection
//     already waiting, or ErrWouldBlock.
//
// Other methods take B's lock when it is free and must not be called there
// when it is not: a test binary panics when it catches that, other programs
// wait for the lock and risk the deadlock the rule exists to prevent.
//
// # Handles
//
// Every libuv handle lives in C memory and is freed in its close callback;
// its data field refers to the Go object through go-pointer, released there
// too. Close is idempotent and complete when it returns (outside a handler):
// queued writes then fail with net.ErrClosed and a blocked Read returns
// net.ErrClosed.
//
// # Errors
//
// libuv's errors come back as *os.SyscallError around a syscall.Errno, so
// errors.Is(err, syscall.EPIPE) works; UV_EOF is io.EOF and a handle closed
// under an operation gives net.ErrClosed. [ErrName] gives libuv's name for an
// error ("EADDRINUSE").
//
// # Signals
//
// Every thread that runs libuv is a Go thread, so a write to a peer that has
// gone returns EPIPE instead of killing the process with SIGPIPE.
package uv
