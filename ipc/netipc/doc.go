// Package netipc is the net-ipc and @isdk/ipc-server wire for Go: a server
// and a reconnecting client over a unix socket, exchanging messages,
// requests with responses, pings and publish/subscribe with each other and
// with the JavaScript server and client.
//
// The smallest use, a server answering requests and a client asking:
//
//	s, err := netipc.Listen(netipc.ServerOptions{Path: path,
//		OnRequest: []func(*netipc.ServerConn, json.RawMessage, func(any) error) bool{
//			func(c *netipc.ServerConn, req json.RawMessage, reply func(any) error) bool {
//				reply("hello")
//				return true
//			},
//		},
//	})
//	...
//	defer s.Close()
//	c, err := netipc.Dial(ctx, netipc.ClientOptions{Path: path})
//	resp, err := c.Request(ctx, "hi")
//	c.Close()
//
// [Listen] and [Dial] speak the wire of net-ipc and its fork
// @isdk/ipc-server over a unix socket (by default [DefaultServerPath], where
// a JS client with no options looks; a bare name such as "myapp" is taken
// in the temporary directory, as @isdk takes it: [ResolvePath]): the client
// writes "IPC" (or, with ClientOptions.Handshake, net-ipc's GET upgrade), then packets,
// each a length tag (base-128 groups, most significant first, the last with
// its high bit set) and JSON {"t","d","n"} (package [github.com/uvpipe/uvpipe/ipc/netipc/wire]), written as
// JSON.stringify writes it. A client may instead open with net-ipc's GET
// upgrade (its handshake: true: "Connection: Upgrade" and "Upgrade: net-ipc",
// or @isdk's "isdk-ipc"), which is answered "HTTP/1.1 101 Switching
// Protocols" with the same headers, then packets. Any other preamble gets
// "HTTP/1.1 404 Not Found" (@isdk's answer; net-ipc says 418 I'm a Teapot),
// an [ErrBadPreamble] error event and a close.
//
// A [Server] calls OnReady with its real address, then runs connect (with
// an auth hook), message, request (handlers in order; none answering gets an
// empty RESPONSE), disconnect and error handlers per [ServerConn], and
// OnClose once closed. It adopts a reconnecting client's id, broadcasts,
// pings, surveys ([Server.Survey]: a request to every client, each settled
// on its own, as net-ipc's allSettled), and serves @isdk's publish/subscribe,
// carried in REQUEST data ({"sub"}, {"unsub"}, {"pub", "message"});
// subscriptions go with their connection. [Server.Shutdown](allowReconnect) sends END
// {"m":"Server was shut down","a":allowReconnect} to every client.
//
// A [Client] sends, requests and pings (with data: PingData;
// DefaultRequestTimeout without a deadline), subscribes and publishes, and
// closes gracefully or with Destroy (DestroyWith: with a reason of its own,
// as net-ipc's destroy(reason)); within one attempt, Dial dials again while the server's
// accept backlog is full (EAGAIN), until its context ends. Its
// [ClientStatus] (Status, and each change to OnStatus) goes through
// net-ipc's statuses in net-ipc's order,
// checked side by side with net-ipc's client: idle, connecting, connected,
// ready; when the connection drops or the server ends it with
// allowReconnect: disconnected, reconnecting, then idle, connecting... after
// min(RetryIncrement * attempt, MaxRetryDelay) (500 ms * attempt, capped at
// 10 s, as net-ipc), up to Retries (3) attempts and, as net-ipc, one more
// back-off before it gives up. A reconnected client asks for its id again
// (the server adopts it) and re-subscribes its topics before it is ready
// again; calls made meanwhile wait for it, within their context, and
// requests in flight when the connection went fail with [ErrConnClosed].
// END without allowReconnect, a refusal ([*EndError]), NoReconnect, Close
// and Destroy end the client for good: disconnected, idle, Done.
//
// A first connection that fails is retried the same way, as net-ipc's
// connect() retries it (read in its client.js and checked side by side
// with it under node): connecting, disconnected, reconnecting, and after
// the back-off idle, connecting... again, up to Retries retries; with the
// defaults, dials at 0, 0.5, 1.5 and 3 s. Once they are spent, Dial
// waits one more back-off (2 s more with the defaults), goes idle and
// fails with an error that wraps [ErrRetriesSpent] and the last attempt's
// error (ENOENT or ECONNREFUSED from the dial, for errors.Is), where
// net-ipc's connect() rejects with that last socket error. A context that
// ends stops the retries with its error (net-ipc has no such bound); a
// refusal without allowReconnect is not retried, one with allowReconnect
// is. With NoReconnect (reconnect: false) there is a single attempt:
// connecting, disconnected, idle and the error; net-ipc's connect() then
// never settles (its client only emits close with the error), and a
// refusal without allowReconnect leaves it unsettled in the same way even
// with reconnect on, where Dial returns the [*EndError].
//
// A length above MaxPacketSize ([DefaultMaxPacketSize]) closes the
// connection before anything is allocated; a payload that does not parse is
// a [*PacketError] and the stream goes on; data before CONNECTION is
// [ErrPrematurePacket] and closes the connection, as net-ipc does.
// FuzzPacketReader fuzzes the packet reader, and FuzzParsePacketFast checks
// the reflection-free decoder of the usual packet shapes against the full
// one; both are in package wire (go test -run '^$' -fuzz '^FuzzPacketReader$'
// ./ipc/netipc/wire/).
//
// With ServerOptions.HandleOnLoop, an established connection is served in
// the event style: libuv's read callback, on the thread that runs the
// connection's loop, cuts its reads into packets, runs the handlers and
// writes (or queues) the replies, so a request costs no switch between
// goroutines; handlers then must not block (see the option). Without it,
// each connection's goroutine reads, handles and writes. The client reads
// in the read callback too: a RESPONSE or PONG goes straight from there to
// the call waiting for it, unless packets for the handlers wait before it,
// which the client's goroutine runs in order, as before.
//
// BenchmarkNetIPCServer measures requests per second and median and 99th-percentile latency
// over 1 and 64 connections for the Go server (handlers=loop:
// HandleOnLoop; handlers=goroutine: without) with Go clients in the same
// process or in a child process (clients=inproc, clients=proc), beside
// net-ipc's server with net-ipc clients under node, and the Go server with
// net-ipc clients, in the same run; each side the best of three runs.
// The figures, free and pinned to one CPU, are in docs/performance.md.
//
// # Limits and policies
//
// A server is shared by every program that can reach its socket; these
// bound what any one client can make it hold or wait for (the
// ServerOptions field, then its default):
//
//   - Socket file (Mode): DefaultSocketMode, 0600, set before the server
//     listens, whatever the umask; GroupSocketMode, 0660, lets the file's
//     group connect too. Listen replaces a socket file nobody listens on (a
//     dial is refused) and fails with EADDRINUSE on a live server's, which
//     goes on.
//   - Connections (MaxConnections): no limit by default; a client beyond it
//     is sent END {m: "netipc: too many connections"} ([ErrTooManyConnections])
//     and closed, so Dial returns an [*EndError].
//   - CONNECTION within ConnectionTimeout (10 s), else closed; after it,
//     a packet begun must be finished within PacketTimeout (10 s), else the
//     connection is closed with [ErrPacketTimeout].
//   - Packets (MaxPacketSize, 16 MiB): a larger length tag closes the
//     connection; a packet's buffer grows as its bytes arrive, never to the
//     announced size in advance, so announcing costs nothing.
//   - Nesting: encoding/json's limit (10,000 levels) refuses a deeper
//     payload as a [*PacketError]; when it is a REQUEST whose nonce can be
//     read, the server answers it {"error": "netipc: request refused: …"}
//     rather than leave the client to time out.
//   - Outgoing (MaxOutgoingBytes, 8 MiB; WriteTimeout, 5 s): no write to a
//     client waits for it, in either mode; what its socket does not take is
//     queued. A client with more than MaxOutgoingBytes queued, or whose
//     queue has not emptied for WriteTimeout, is a slow consumer and is
//     dropped: OnError gets [ErrSlowConsumer], the client is sent END {m:
//     "slow consumer: …"} after what is queued and half-closed, writes to
//     it (Send, Publish, Broadcast, replies) fail at once, and it is closed
//     if it has not closed within CloseTimeout; OnDisconnect gets the
//     reason. A publisher is never held up by its subscribers.
//   - Shutdown (CloseTimeout, 2 s): END to every client, then those that
//     have not closed within CloseTimeout are closed; only a handler that
//     blocks can hold Shutdown up.
//   - Client inbox (ClientOptions.MaxInboxBytes, 8 MiB): packets waiting
//     for a Client's handlers; above it the client stops reading until its
//     handlers have brought them under half, so a slow OnPublish costs
//     bounded memory (and the server's outgoing limits then apply).
//
// # Rules
//
//   - Handlers run on the connection's goroutine, or with
//     ServerOptions.HandleOnLoop on the loop's thread, where they must not
//     block. A panic in a handler is not recovered: it ends the program.
//   - Close() error ends a Server, Client or ServerConn (io.Closer); the
//     variants with an END reason or allowReconnect have names of their own.
//   - Errors are matched from this package: [ErrConnClosed],
//     [ErrRetriesSpent], [ErrBadPreamble], [ErrPrematurePacket],
//     [ErrPacketTooLarge], [*PacketError], [*EndError], [ErrSlowConsumer],
//     [ErrPacketTimeout], [ErrTooManyConnections].
//
// # What differs from net-ipc
//
//   - Dial returns once the client is ready, or with the error that ended
//     its attempts; net-ipc's connect() may never settle (see above).
//   - Calls take a context.Context for their deadline.
//   - Any other preamble gets 404 (as @isdk), where net-ipc answers 418.
//   - A refused client (OnConnect's error) gets the CONNECTION answer and
//     then END with the reason, as @isdk's server (whose connect handler
//     runs after the answer) refuses it: net-ipc's connect() resolves and
//     its close event gives the reason.
//   - A bare name as the path is in the temporary directory, as @isdk;
//     net-ipc 2.2.2 takes it in its working directory.
package netipc
