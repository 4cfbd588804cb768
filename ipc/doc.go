// Package ipc is Node.js's child_process IPC channel for Go: start any
// command with a channel, as child_process.fork does, or be the child of a
// Node (or Go) parent, and exchange messages and live sockets with the
// other side in Node's own protocol.
//
// # Parent and child
//
// The parent starts an ordinary *exec.Cmd with [Start], so everything
// exec.Cmd offers (stdio, Dir, Env, SysProcAttr) stays available:
//
//	cmd := exec.Command("node", "worker.js")
//	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
//	ch, err := ipc.Start(cmd, ipc.Options{Serialization: ipc.Advanced})
//	...
//	ch.Send(map[string]any{"job": 1})
//	m, err := ch.Recv(ctx)
//	...
//	ch.Disconnect()
//	err = ch.Wait()
//
// The child's end of a unix socket pair is placed at the fd in
// NODE_CHANNEL_FD (3 unless Options.FD says otherwise, i.e. ExtraFiles[0]),
// and NODE_CHANNEL_SERIALIZATION_MODE says json (the default) or advanced,
// exactly as Node sets them. A Go program started that way, by Node's
// fork or spawn with 'ipc' in its stdio or by Start, calls [FromEnv], which
// finds the channel and removes both variables from the environment, as
// Node does; without them it returns [ErrNoChannel]. [Open] makes a channel
// over any fd already open.
//
// # Messages
//
// Both ends are a [Channel]. [Channel.Send] takes a value of package
// jsvalue's model or an ordinary Go value, [Channel.Recv] blocks for the next
// [Message], whose Value is in jsvalue's model (Message.Decode fills a Go
// value). In json mode each message is one line of JSON.stringify-exact text
// (package nodejson); in advanced mode a 4-byte big-endian length and a V8
// serialized payload with Node's host objects (package v8), so Buffers, Maps,
// Sets, Dates, BigInts and typed arrays cross as they do between two Node
// processes.
//
// Beside Recv there is the callback style of Bun's ipc option: a [Handler]
// set with [Channel.OnMessage] or Options.OnMessage receives the channel and
// each message, one call at a time, in order, on a goroutine of the
// channel's, and a last call when the channel ends ([Channel.Done] is closed
// by then). Each message goes to one of them: with a handler set, Recv
// returns [ErrHandlerSet].
//
// Internal messages, objects whose cmd is a string starting "NODE_", are the
// protocol's and never reach Recv. A Node server whose accepted connections
// were sent here (each NODE_HANDLE of a net.Socket carries the server's key,
// Message.Key) asks about them: its getConnections sends
// NODE_SOCKET_GET_COUNT and adds the count, its close sends
// NODE_SOCKET_NOTIFY_CLOSE and completes on NODE_SOCKET_ALL_CLOSED. The
// channel answers truthfully, as Node's child does: a received connection
// counts as open until no fd of this process refers to it any more, however
// the program holds it (the Message.Handle, a net.Conn made from it, a
// duplicate), and ALL_CLOSED is sent once the last one is closed (looked at
// every 10 ms while a close waits). This reads /proc/self/fd, so it is Linux
// only; elsewhere received connections count as closed at once. A Go
// program sending a connection never adds a key: Go has no server object
// that would ask the receiver, and a Node receiver behaves the same without
// it.
//
// # Who reads
//
// The channel has no goroutine of its own that reads and hands messages
// over: the goroutine that needs a message reads. A Recv with nothing
// received yet reads the socket on its own goroutine (so does a Handler's
// goroutine), answers the internal messages it meets, keeps the other
// messages of that read in the inbox and returns the first; a Recv that
// comes while another reads waits for that read and looks again. A ping-pong
// is then a Send and a Recv on one goroutine, with no hand-off between
// goroutines. Like Node, which always reads its channel, the channel also
// reads when the program does not: once no goroutine has read for a short grace period (idleGrace), a
// background goroutine reads until a Recv comes, the inbox is full or the
// channel ends, so acknowledgements (the queue behind a sent handle), a
// server's NODE_SOCKET_* requests and the peer's disconnect (Done) are
// handled while the program only sends. A Recv's context ends the read it is
// doing (through a read deadline) without losing what the read brought.
//
// # Handles
//
// [Channel.SendHandle] sends a message with a socket, as Node's
// send(message, handle): a Go *net.TCPListener reaches a Node child as a
// listening net.Server, a *net.TCPConn as a net.Socket, a *net.UDPConn as a
// dgram.Socket; uv and pipe handles work too. Only sockets can be sent (Node
// aborts when it receives a file or tty): anything else is refused with
// [ErrNotSocket]. On the wire the message is wrapped as Node wraps it,
// {cmd:"NODE_HANDLE", type, msg} (with dgramType for UDP), and the fd rides
// on that write. Later sends queue until the peer answers NODE_HANDLE_ACK;
// a NODE_HANDLE_NACK makes the channel send the handle again, up to three
// times, after which Recv reports [ErrHandleNotReceived] (Node retransmits
// only connections; this package retransmits every kind, as the sender keeps
// its copy). A connection sent without SendOptions.KeepOpen is closed on this
// side once acknowledged, as Node closes it.
//
// A received NODE_HANDLE is answered with NODE_HANDLE_ACK, or
// NODE_HANDLE_NACK when no fd came with it, and its message reaches Recv with
// Message.Handle: a *pipe.Handle that becomes a net.Conn, net.Listener or
// net.PacketConn (serve net/http on a listener a Node parent sent). The fd is
// bound as Node binds it: to the first NODE_HANDLE message starting in the
// data that arrived with it. An fd that no message claims is closed.
//
// # Bun
//
// Bun speaks the same protocol in json mode, as a parent (Bun.spawn with
// ipc and serialization "json", or node:child_process) and as a child
// (start `bun script.js` with [Start]); listeners and connections cross
// both ways as with Node. Bun's differences: its internal lines (0x02 then
// JSON) are skipped here, and Bun.spawn's ipc callback is given objects
// whose cmd starts "NODE_", which Node would keep to itself. Bun's
// advanced mode is JavaScriptCore's format, not V8's: use json with Bun.
//
// # Ending and bad input
//
// [Channel.Disconnect] closes the channel as Node's disconnect() does (after
// the messages queued behind an unacknowledged handle); the peer sees the end
// of the stream, which is its disconnect. After the peer disconnected, Recv
// returns the messages already received and then io.EOF, and Send returns
// [ErrChannelClosed]. [Channel.Close] releases everything at once;
// [Channel.Wait] (parent only) waits for the child, then closes.
//
// A JSON line that does not parse, or is longer than
// Options.MaxMessageSize, is returned by Recv as an error and the channel
// goes on with the next line, as the line framing allows. In advanced mode a
// frame whose payload does not decode is such an error too, but a length
// prefix that is too large (or not followed by V8 data) cannot be
// resynchronised: the channel ends and Recv returns that error. A stream
// starting with Bun's advanced version packet ends the channel with a
// *v8.BunAdvancedError (use json with Bun). Bun's internal JSON lines, a
// 0x02 byte then JSON, are Bun's own and never delivered (one that does not
// parse is reported as a bad line). Received messages wait in a
// bounded inbox (64 messages): once it is full and Recv is not called, the
// channel stops reading and the peer's writes back up.
//
// # Ports and message ports (bare-ipc)
//
// [OpenPorts] returns two connected [Port]s, as bare-ipc's IPC.open(): each
// is an incoming and an outgoing one-way OS pipe, held as fds until it is
// used, once. [Port.Connect] makes it a duplex [Stream] (io.ReadWriteCloser
// with CloseWrite, deadlines and Ref/Unref; the pipes are the backpressure);
// [Port.HandTo] hands it to a child process that an exec.Cmd will start (as
// inherited fds named by PortEnv), where [PortFromEnv] rebuilds it;
// [SendPort] and [ReceivePort] move it over an IPC pipe as two handles;
// [Port.Detach] gives its fds up (bare's transfer protocol). Like bare-ipc's,
// the stream has no framing.
//
// A [MessagePort] frames whole messages over any byte stream, a connected
// Port or a pipe:
//
//	uint32 length, big-endian | payload of that many bytes
//
// where the payload is bare-structured-clone (version 0 by default, what the
// registry's Bare runtime runs; version 1 selectable) or JSON.stringify text.
// A Bare program reads it with bare-structured-clone and compact-encoding:
// collect the 4-byte length and that many bytes, then
// clone.deserializeWithTransfer(c.decode(clone, payload)); it writes with
// c.encode(clone, clone.serializeWithTransfer(value)) behind such a length.
// interop/msgport-peer.js does both, and the tests run it with the pinned
// bare.
//
// # net-ipc server and client
//
// [ListenServer] and [Connect] speak the wire of net-ipc and its fork
// @isdk/ipc-server over a unix socket (by default [DefaultServerPath], where
// a JS client with no options looks): the client writes "IPC", then packets,
// each a length tag (base-128 groups, most significant first, the last with
// its high bit set) and JSON {"t","d","n"} ([Packet]), written as
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
// subscriptions go with their connection. Close(allowReconnect) sends END
// {"m":"Server was shut down","a":allowReconnect} to every client.
//
// A [Client] sends, requests and pings (DefaultRequestTimeout without a
// deadline), subscribes and publishes, and closes gracefully or with
// Destroy; within one attempt, Connect dials again while the server's
// accept backlog is full (EAGAIN), until its context ends. Its
// [ClientStatus] (Status, and each change to OnStatus) goes through
// net-ipc's statuses in net-ipc's order,
// checked side by side with net-ipc's client: idle, connecting, connected,
// ready; when the connection drops or the server ends it with
// allowReconnect: disconnected, reconnecting, then idle, connecting... after
// min(RetryIncrement × attempt, MaxRetryDelay) (500 ms × attempt, capped at
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
// defaults, dials at 0, 0.5, 1.5 and 3 s. Once they are spent, Connect
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
// with reconnect on, where Connect returns the [*EndError].
//
// A length above MaxPacketSize ([DefaultMaxPacketSize]) closes the
// connection before anything is allocated; a payload that does not parse is
// a [*PacketError] and the stream goes on; data before CONNECTION is
// [ErrPrematurePacket] and closes the connection, as net-ipc does.
// FuzzPacketReader fuzzes the packet reader, and FuzzParsePacketFast checks
// the reflection-free decoder of the usual packet shapes against the full
// one (-fuzz '^FuzzPacketReader$' or '^FuzzParsePacketFast$', as below).
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
// BenchmarkNetIPCServer measures requests per second and p50/p99 latency
// over 1 and 64 connections for the Go server (handlers=loop:
// HandleOnLoop; handlers=goroutine: without) with Go clients in the same
// process or in a child process (clients=inproc, clients=proc), beside
// net-ipc's server with net-ipc clients under node, and the Go server with
// net-ipc clients, in the same run; each side the best of three runs.
// BenchmarkPingPong and BenchmarkBulk time the Node channel beside Node
// parent ↔ Node child (testdata/bench.js) and Bun ↔ Bun in the same run.
// The figures, free and pinned to one CPU, are in docs/performance.md.
//
// # Windows
//
// Not supported, and the package does not build there: the channel stands
// on package pipe's IPC pipes, and the uv layer has no Windows named pipes
// yet. On Windows, Node's channel is a
// named pipe on which libuv frames every IPC write with its own header and
// passes a socket as a WSAPROTOCOL_INFOW (WSADuplicateSocket for the
// receiving process) rather than an fd, and only TCP sockets can be sent;
// the platform-specific code of this package lives in _unix and _linux
// files so that a Windows port can be added beside them.
//
// # Fuzzing
//
// The framers (json lines and advanced frames) have fuzz tests whose seeds
// run with every go test; run them long with
//
//	go test -run '^$' -fuzz '^FuzzJSONFramer$' -fuzztime 5m ./ipc/
//	go test -run '^$' -fuzz '^FuzzAdvancedFramer$' -fuzztime 5m ./ipc/
package ipc
