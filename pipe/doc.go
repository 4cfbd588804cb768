// Package pipe is bare-pipe for Go: duplex pipes over fds and unix domain
// sockets, a server, socket pairs, one-way OS pipes, and IPC handle passing
// with libuv's semantics, on the same fds a Node, Bun or Bare process uses.
//
// A [Pipe] is a net.Conn (with CloseWrite, deadlines, File, Ref/Unref and
// the peer's credentials); a [Server] is a net.Listener. They run on a uv
// loop, the default one unless a [Config] names another; nobody has to see
// the loop.
//
// # Servers
//
// A [Server] serves in Go's style, [Server.Accept] in a loop, or in
// bare-pipe's event style, [Server.OnConnection], whose handler gets each
// new Pipe inside libuv's connection callback and sets its OnRead there.
// [Server.Close] stops listening at once and leaves the accepted
// connections open, as bare-pipe's close does; [Server.Shutdown] closes
// the same way and then waits until the last of them has closed (or its
// context ends), as http.Server.Shutdown does and as bare-pipe's server
// emits 'close' only then. [Server.Conns] counts them and
// [Server.Listening] is bare-pipe's server.listening.
//
// # bare-pipe's states
//
// [Pipe.ReadyState] is bare-pipe's readyState ("open", "readOnly",
// "writeOnly", "closed"). Dial and Open return a Pipe already connected, or
// an error, so bare-pipe's "opening" state, and its connecting and pending
// flags (true only before the connection is made), never apply to a Pipe a
// program holds. bare-pipe's eagerOpen (open the stream before the first
// read or write) has no counterpart either: a Pipe is open when it is
// returned, and reading starts with the first Read or OnRead, so bytes wait
// in the socket until then (what bare-pipe's pauseOnConnect gives a server).
//
// [OSPipe] returns a one-way OS pipe as two Pipes, and [OSPipeFDs] as two
// fds, as bare-pipe's Pipe.pipe() does; [Pipe.Fd] gives a Pipe's fd. As in
// bare-pipe, the write end has nothing to read (Read returns io.EOF at
// once, where bare-pipe emits 'end'); the read end cannot be written (Write
// fails with EPIPE, where bare-pipe drops the write without an error).
//
// # Handle passing
//
// An IPC pipe (Config.IPC, over a bidirectional unix socket: SocketPair, a
// dialed or accepted socket, an inherited fd) carries handles: TCP sockets
// and listeners, unix sockets and pipes, UDP sockets. [Pipe.WriteHandle]
// sends one with some bytes, exactly as libuv's uv_write2: the fd travels with
// the first bytes the socket accepts, and the sender keeps its own copy. It
// takes uv handles, Pipes, and Go's own sockets (*net.TCPConn,
// *net.TCPListener, *net.UDPConn, *net.UnixConn, *net.UnixListener, an
// *os.File holding a socket). A handle with no bytes is refused (libuv would
// drop it silently), a handle on a pipe that is not IPC is EINVAL, a closed
// one EBADF.
//
// There are two ways to receive. [Pipe.ReadHandles] is Go's: it returns the
// bytes read and the handles that arrived with them (before them), each one
// a [ReceivedHandle] the program owns (an fd, not a uv.Handle of a loop),
// to turn into a net.Conn, net.Listener, net.PacketConn, *os.File or Pipe,
// to accept into a uv handle, or to close. Its [HandleKind] says what it is,
// read from the fd: a TCP or unix listener or connection (SO_ACCEPTCONN), a
// UDP socket, a file; the same kinds name Node's net.Server, net.Socket and
// dgram.Socket.
// [Pipe.OnHandle] with [Pipe.OnRead] is bare-pipe's: in the read callback,
// each pending handle is announced with its type before that read's data, and
// the handler accepts it synchronously with [Pipe.AcceptHandle] (a handle,
// where [Server.Accept] and uv.Pipe.Accept take a connection); one it leaves is
// announced again with the next read. Handles never taken are closed with the
// pipe; received fds are close-on-exec. A plain Read passes over the handles
// that arrived with its bytes and keeps the last uv.MaxUnclaimedHandles (16)
// of them for a later ReadHandles; older ones are closed, so a peer cannot
// exhaust the fd table of a program that only reads (io.Copy).
//
// Only IPC pipes can carry handles: a one-way OS pipe ([OSPipe]) cannot.
//
// # Windows
//
// On Windows the pipes are named pipes. [Listen] and [Dial] take a pipe
// name (\\.\pipe\name, or \\?\pipe\name) as it is, and map any other path
// the way @isdk/ipc-server and net-ipc map one there ([PipeName]): one
// leading '/' removed, every other '/' replaced by '-', and \\.\pipe\ put
// in front, so "/tmp/app.sock" is \\.\pipe\tmp-app.sock and a Go server and
// a Node client given the same path meet. Listen("") takes a fresh name.
// Nothing is left behind to remove, and ServerConfig.Mode is refused.
// [SocketPair] is the two ends of a duplex named pipe made for the pair;
// [OSPipeFDs] returns C runtime fds (what libuv's uv_pipe_open and a
// child's NODE_CHANNEL_FD are), and [Open] takes one. [Pipe.PeerCred] gives
// the other process's id only (UID and GID are -1).
//
// libuv on Windows passes TCP servers and connections only; other handles
// are refused with uv.ErrNotPassable before anything is written. Go's net
// package cannot adopt a passed SOCKET there (net.FileListener and
// net.FileConn are not implemented on Windows), so [ReceivedHandle.Listener]
// returns this package's TCPListener (Windows only) and [ReceivedHandle.Conn] a
// *uv.TCP, both on the loop of the pipe the handle came on; a received
// handle has no *os.File. Detach and Attach are not supported there yet.
package pipe
