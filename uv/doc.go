// Package uv drives libuv from Go. It is the only package of uvpipe that
// imports "C"; pipe, ipc and channel stand on it.
//
// # Loops, leader/follower
//
// A [Loop] is one libuv loop behind a loop lock: libuv is never entered by two
// threads at once. There is no dedicated loop thread. A goroutine that needs
// progress (a Read with nothing buffered, a Write the socket cannot take, an
// Accept, a Close) leads: it waits for the loop's backend fd without the lock,
// then takes the lock, runs one non-blocking pass of the loop (uv_run with
// UV_RUN_NOWAIT), and checks its own condition. Other goroutines that need
// progress meanwhile follow: each sleeps until a callback of the handle it
// waits on (or a method that changed that handle) signals it, or until the
// loop needs a new leader; a pass wakes no other follower. When no goroutine
// needs progress, one background goroutine per loop leads, so event
// handlers, timers, accepts and handle passing keep running.
//
// How a leader waits — yield, spin, hold its P, block in the kernel or park
// in Go's netpoller — is the policy of the internal package wait, whose doc
// states it. A leader that waits outside Go's netpoller keeps an eye on it:
// when the process's other sockets have events nobody collects (with one P,
// nobody else can), it lets the scheduler collect them at once, so a uvpipe
// loop shares its process with other network code. The environment variables UVPIPE_SPIN, UVPIPE_HOLD (durations;
// "0" turns each off) and UVPIPE_NETPOLL=1 tune it for the whole process.
//
// Two shortcuts stand in for a pass when they do what it would do. When the
// leader's wait saw exactly one fd ready and libuv has nothing else due (no
// timer, nothing pending or closing), the leader calls that fd's libuv
// watcher itself (uvp_dispatch in shim.c). And while a blocking Read leads,
// a read that did not fill its buffer (its own lent buffer, or the handle's
// C buffer when no handle came with it) is taken after the pass rather than
// handed over in a read callback (a quiet read); the next use of the C
// buffer hands such bytes over first, so bytes and handles keep their order.
//
// # libuv's API, and its private fields
//
// The package calls libuv's public API. The dispatch above, and a few other
// fast paths (the check for watchers libuv has still to register, which
// spares a pass per wake-up; writes that lend libuv the caller's buffer;
// the exact count of what a cancelled write had written; taking a listener's
// socket path), read or write fields libuv keeps private. They are compiled
// only for the libuv releases whose layout they were written against, named
// by UV_VERSION_HEX in private.h (1.44.2 and 1.50.0), and never with the
// build tag uvpipe_public; each has a public path beside it, which any other
// libuv takes, and which UVPIPE_PRIVATE=0 in the environment selects at
// start (PrivateFastPaths reports which is in use). The tests run both.
//
// # Without cgo
//
// Built without cgo (CGO_ENABLED=0), the package is a stub with the same
// API, in which every call that can fail returns ErrNoCgo, and every other
// call does nothing. So a module that imports uvpipe still builds without
// cgo (a program that uses only the codecs, or picks its transport at run
// time), and one that does use a loop learns why at its first call, rather
// than from a build that fails in every package that imports uv, through
// however many modules. This is the choice go-sqlite3 made for its no-cgo
// build.
//
// # Invariants
//
//   - At most one goroutine leads a loop; whenever none leads, a follower is
//     signalled to, or the background leader is armed.
//   - One Read at a time owns a stream's read side (its lent buffer, the
//     bytes buffered and the handles pending); one Write at a time owns its
//     write side. Close marks the stream closing, wakes both and waits for
//     its close callback and for them to leave. A turn is taken before the
//     loop lock, never while holding it (see Concurrent reads and writes).
//   - A follower is woken only when its own condition may have changed.
//   - Code that holds one loop's lock never takes another loop's lock (see
//     Loops and locks).
//   - Nothing touches a closed loop: entry points check under the lock and
//     return ErrLoopClosed.
//   - A Write's n counts exactly the bytes that will reach the peer (one that
//     Close cuts short on a Windows named pipe: at least n; see Stream.Write).
//   - C keeps no Go pointer that is not pinned: a lent Read buffer is pinned
//     while libuv may write to it, a waiting Write's bytes until its request
//     completes or takes a copy of them.
//
// [Default] is a process-wide loop whose background leader starts on first
// use. [NewLoop] makes more (one per core, say); [Loop.Close] ends one.
//
// # Handlers
//
// Event-style handlers (a stream's read handler, a server's connection
// handler, a timer, an async or posted function) run under the loop lock on
// whichever goroutine leads. They must not block. Inside a handler, and
// inside a function given to [Loop.Do], the handle methods still work: they
// see that the calling thread already holds the loop lock, never wait, and
// start what cannot finish at once (a Close completes after the handler
// returns; a Write queues what the socket does not take).
//
// A panic in a handler is fatal, as a panic in a goroutine of its own is: it
// never unwinds through libuv's frames, and it is not raised in the goroutine
// that happened to lead the loop. The program ends with a [HandlerPanic]
// that carries the value and the handler's own stack. A panic in a function
// given to Do reaches Do's caller, with the lock released.
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
// A method that would wait for B's progress (a Read with nothing buffered,
// CloseWrite, an Accept with nothing waiting) returns ErrWouldBlock there.
// Other methods (deadlines, Ref, Fd...) take B's lock, waiting for it if a
// goroutine holds it; should B be waiting for A's lock at that moment, the
// two loops would wait for each other forever, and the call panics instead
// (in a handler, a panic ends the program).
//
// # Handles
//
// Every libuv handle lives in C memory and is freed in its close callback;
// its data field refers to the Go object through go-pointer, released there
// too. Close is idempotent and complete when it returns (outside a handler):
// queued writes then fail with net.ErrClosed and a blocked Read returns
// net.ErrClosed.
//
// # Concurrent reads and writes
//
// As with a net.Conn, several goroutines may Read, Write and Close one
// stream at once. One Read at a time owns a stream's read side (the buffer
// it lends to libuv, its quiet reads, the handles that arrived with its
// bytes); one Write at a time owns its write side, so each Write's bytes are
// contiguous on the wire; Close marks the stream closing, wakes both and
// waits for them to leave. The model is internal/poll.fdMutex: concurrent
// callers take turns and never share a buffer. A turn is taken before the
// loop lock and kept across the waits on the loop; inside a handler no
// turn is waited for (see [Stream]). UDP's ReadFrom and WriteTo take turns
// the same way.
//
// A Write's n counts exactly the bytes that reach the peer: a Write whose
// deadline passes counts the rest it left queued in libuv, which still goes
// out (libuv cannot take back a write request); one cut short by Close counts
// what went out before it, except on a Windows named pipe, where n may leave
// out what the peer had read of the request the close ended (see
// [Stream.Write]).
//
// [Stream.WriteNoWait] never waits for the peer, from any goroutine: the
// rest is copied and queued as a handler's Write queues it, and a limit on
// the bytes queued (ErrQueueFull) bounds what a peer that does not read can
// make the process hold; [Stream.StartCloseWrite] half-closes after the
// queue without waiting for it. A server that writes to many peers uses
// them so that no peer can hold up another.
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
