// Package nodeipc is Node.js's child_process IPC channel for Go: start any
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
//	ch, err := nodeipc.Start(cmd, nodeipc.Options{Serialization: nodeipc.Advanced})
//	...
//	ch.Send(map[string]any{"job": 1})
//	m, err := ch.Recv(ctx)
//	...
//	ch.Disconnect()
//	err = ch.Wait()
//
// The child's end of a unix socket pair (on Windows, of a named pipe: see
// Windows below) is placed at the fd in
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
// (package nodejson). In advanced mode the format is the peer runtime's
// own: with Node a 4-byte big-endian length and a V8 serialized payload
// with Node's host objects (package v8), with Bun a packet of Bun's framing
// holding JavaScriptCore's serialized value (package jsc); either way
// Buffers, Maps, Sets, Dates, BigInts, Errors and typed arrays cross as they
// do between two processes of that runtime.
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
// counts as open until this process has closed it, however the program
// holds it (the Message.Handle, a net.Conn made from it, a duplicate), and
// ALL_CLOSED is sent once the last one is closed (looked at every 10 ms
// while a close waits). On Linux that is until no fd refers to it any more
// (read from /proc/self/fd); on Windows until its SOCKET, the one handle of
// it a program holds there, no longer names a socket connected between the
// same addresses; on other unixes received connections count as closed at
// once. A Go
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
// times, after which the handle is given up with [ErrHandleNotReceived]
// (Node retransmits only connections; this package retransmits every kind,
// as the sender keeps its copy). A connection sent without
// SendOptions.KeepOpen is closed on this side once acknowledged, as Node
// closes it.
//
// Each message learns its own outcome, as Node's send callback does:
// SendOptions.Wait makes SendHandle return once the peer acknowledged the
// handle or gave it up, and SendOptions.Done receives that outcome on a
// channel. A failure after the call returned (a handle given up, a queued
// message whose write failed or that the channel's end dropped) is a
// [*SendError] naming its message; one that no Wait or Done takes goes to
// Options.OnSendError. It never surfaces in Recv or in a later, unrelated
// Send.
//
// A received NODE_HANDLE is answered with NODE_HANDLE_ACK, or
// NODE_HANDLE_NACK when no fd came with it, and its message reaches Recv with
// Message.Handle: a *pipe.ReceivedHandle that becomes a net.Conn,
// net.Listener or net.PacketConn (serve net/http on a listener a Node parent
// sent). Its Kind, read from the fd, is one of this package's [HandleKind]
// constants (the same as package pipe's): [KindTCPListener] or
// [KindUnixListener] for a net.Server, [KindTCPConn] or [KindUnixConn] for a
// net.Socket, [KindUDP] for a dgram.Socket. The fd is
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
// whose cmd starts "NODE_", which Node would keep to itself.
//
// Bun's advanced mode, the default of Bun.spawn with an ipc callback, is
// Bun's own: each packet is a type byte and a little-endian uint32, a
// version packet (01, then the version: 1, or 2 which Bun 1.4.5 writes)
// opens the stream, and a message is type 02 with that many bytes of
// JavaScriptCore's serialized value. Bun's own messages (type 03) are not
// delivered. A message holding Buffers is type 04, the envelope [message,
// buffers] whose second element lists the message's Buffers (JavaScriptCore
// writes a Buffer as a Uint8Array): a received one turns those into []byte,
// and Send writes it when the value holds a []byte, so Buffers stay Buffers
// and Uint8Arrays (jsvalue.TypedArray) stay Uint8Arrays both ways. An
// empty []byte without capacity has no memory to be listed by and reaches
// Bun as an empty Uint8Array. Handles cross as in Node's protocol
// (NODE_HANDLE in a type-02 packet, answered NODE_HANDLE_ACK): Bun.spawn's
// ipc callback receives a listener or connection sent to it (its third
// argument), and node:child_process in Bun sends and receives them;
// Bun.spawn's own send takes no handle.
//
// Which advanced format a channel speaks is decided so, in this order:
//
//   - Options.Runtime, when set ([Node] or [Bun]), decides alone: a Bun
//     version packet on a Node channel ends it with [*BunAdvancedError].
//   - Otherwise a parent ([Start]) speaks Bun's when the command's program is
//     Bun's executable (named bun or bunx, symbolic links followed), and a
//     child ([FromEnv], [Open]) when its parent process's executable is, or
//     that of the process that made the channel: on Linux the maker of its
//     socket pair (SO_PEERCRED: Bun behind a shell or go run), both read
//     from /proc; on Windows the maker of its named pipe
//     (GetNamedPipeServerProcessId), both read with
//     QueryFullProcessImageName; on other unixes neither is read. Else
//     Node's. NODE_CHANNEL_SERIALIZATION_MODE says advanced for both
//     runtimes, so it cannot tell them apart.
//   - Then the peer's first bytes, when they come before this side sent
//     anything: a Bun version packet makes the channel Bun's, a V8 frame
//     header Node's, for reading and for sending. Bun writes its version
//     packet as soon as its child's channel is open, but a Bun parent only
//     with its first message, and a Node peer writes nothing first: a Go
//     program whose peer was guessed wrong and that sends first is not
//     understood: the peer closes the channel, which then ends with a
//     [*RuntimeGuessError] (wrapping io.EOF) once the peer's first bytes
//     have shown its runtime. Set Runtime when the program is neither
//     started by bun nor starts bun itself.
//
// A channel in Bun's format writes its version packet (2) as soon as it is
// open, as Bun's child does. A version packet of a version other than 1 or
// 2 ends the channel with [*BunVersionError]; a packet of an unknown type
// or one longer than Options.MaxMessageSize with [*BunFrameError], since the
// stream cannot be resynchronised. [Channel.Runtime] says which format the
// channel speaks.
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
// resynchronised: the channel ends and Recv returns that error; so do Bun's
// packets (see Bun above). Bun's internal JSON lines, a
// 0x02 byte then JSON, are Bun's own and never delivered (one that does not
// parse is reported as a bad line). Received messages wait in a bounded
// inbox (64 messages). Internal messages are handled whatever the inbox
// holds: with the inbox full, the channel reads on and keeps the user
// messages beyond it, up to 1 MiB of the stream, so that an ACK or a
// NODE_SOCKET_* request behind them is answered; beyond that it stops
// reading until the program receives, and the peer's writes back up.
//
// A peer that speaks the other serialization (a json stream read by an
// advanced channel, V8's or Bun's, or the reverse) ends the channel with a
// [*MismatchError] that says so. A peer that dies inside a message ends the
// channel with io.ErrUnexpectedEOF (wrapped); a clean end between messages is
// io.EOF.
//
// # Rules
//
//   - A [Handler] runs on a goroutine of the channel's, one message at a
//     time, in order, never under a lock: it may Send, SendHandle,
//     Disconnect and Close. While it blocks, the channel reads on until its
//     inbox is full, as for an unread Recv. A panic in a Handler is not
//     recovered.
//   - Send, SendHandle, Recv and Disconnect are safe for concurrent use.
//   - Ownership: a handle sent with SendHandle stays the caller's unless it
//     is a connection sent without SendOptions.KeepOpen, which the channel
//     closes once the peer acknowledged it. A received Message.Handle is the
//     program's to close; one it never takes is closed with the channel.
//     [Open] owns the fd it is given once it succeeds; on error the fd is
//     left open, the caller's, as package pipe's Config.Open leaves it.
//   - Errors: every documented failure is matched from this package with
//     errors.Is or errors.As: [ErrChannelClosed], [ErrNoChannel],
//     [ErrHandlerSet], [ErrNotSocket], a message's own failure
//     ([*SendError], wrapping [ErrHandleNotReceived] or the write error), a
//     too long JSON line ([*LimitError]), a broken advanced frame
//     ([*FrameError], [*BunFrameError]), a Bun version this package does not
//     know ([*BunVersionError]), Bun's advanced mode on a channel whose
//     Runtime is Node ([*BunAdvancedError]), a peer of the other runtime
//     that closed after messages sent in the format guessed for it
//     ([*RuntimeGuessError], which wraps io.EOF), the other serialization
//     ([*MismatchError]). A message cut off by the
//     peer's death is reported as io.ErrUnexpectedEOF, a clean end as io.EOF.
//
// # What differs from Node
//
//   - Recv pulls messages; Node pushes them to 'message' listeners. A
//     [Handler] gives the push style.
//   - Every kind of handle is sent again after a NODE_HANDLE_NACK (Node
//     retransmits only connections).
//   - Only sockets can be sent, and a send of anything else fails at once
//     with [ErrNotSocket] (Node aborts when it receives a file).
//   - Advanced means the peer runtime's format, V8's with Node and
//     JavaScriptCore's with Bun, where Node knows only V8's.
//
// # Benchmarks
//
// BenchmarkPingPong and BenchmarkBulk time the channel beside a Node parent
// and Node child (testdata/bench.js) and Bun with Bun, in the same run, in
// both serializations (with a bun child, advanced is Bun's own mode). The
// figures are in docs/performance.md.
//
// # Windows
//
// Built with cgo and mingw-w64, and tested under Wine against node.exe and
// bun.exe (not on Windows itself). Node's channel there is a duplex named
// pipe on which libuv frames every IPC write with its own header and passes
// a socket as a WSAPROTOCOL_INFOW (WSADuplicateSocket for the receiving
// process) rather than an fd; libuv does both on each side, so the messages
// this package reads and writes are the same as on unix.
//
// A child's NODE_CHANNEL_FD is a C runtime fd inherited at process creation
// (the CRT's inherited-fd table in STARTUPINFO): [FromEnv] and [Open] take it
// as package pipe's Open does, through uv_pipe_open on an IPC pipe. [Start]
// cannot use os/exec, which passes no such table: it starts the child with
// libuv's uv_spawn, whose IPC pipe libuv makes and whose peer it records as
// the child (the process it duplicates sent sockets for). The *exec.Cmd
// still describes the child (Path, Args, Env, Dir, Stdin, Stdout, Stderr,
// ExtraFiles), cmd.Process is the child (found by its pid), and Wait and
// cmd.ProcessState report its exit as on unix; exec.CommandContext's
// context, cmd.Cancel and cmd.WaitDelay keep os/exec's meaning (Start and
// Wait apply them as cmd.Start and cmd.Wait would). What differs: of
// SysProcAttr only HideWindow applies; the channel is on package pipe's
// default loop.
//
// Only TCP listeners and connections cross (what libuv passes on Windows):
// SendHandle refuses pipes and UDP sockets with [ErrNotSocket]. bun.exe
// passes sockets its own way there: not with libuv's transfer but in its
// NODE_HANDLE message, whose "$winSocketInfo" field is the hexadecimal
// WSAPROTOCOL_INFOW that WSADuplicateSocketW made for the receiving
// process. A channel whose peer is bun.exe (a Start whose program is Bun's,
// a child whose parent or pipe maker is, or Options.Runtime Bun) sends its
// handles so; one whose peer runtime is detected only later, from Bun's
// first bytes, sends libuv's transfer, which bun.exe answers with
// NODE_HANDLE_NACK. The other way, a NODE_HANDLE message that came without
// a transfer but with that field is given its socket from it (WSASocketW
// with the WSAPROTOCOL_INFOW), on the channel's loop, as if libuv had
// passed it.
//
// A Go child tells a bun.exe parent as on Linux, from the executables of
// its parent process and of the process that made its channel's named pipe
// (GetNamedPipeServerProcessId), read with QueryFullProcessImageName; a
// process created after the child is not taken for either (its pid was
// reused).
//
// # Fuzzing
//
// The framers (json lines and advanced frames) have fuzz tests whose seeds
// run with every go test; run them long with
//
//	go test -run '^$' -fuzz '^FuzzJSONFramer$' -fuzztime 5m ./ipc/nodeipc/
//	go test -run '^$' -fuzz '^FuzzAdvancedFramer$' -fuzztime 5m ./ipc/nodeipc/
//	go test -run '^$' -fuzz '^FuzzBunFramer$' -fuzztime 5m ./ipc/nodeipc/
package nodeipc
