// Package bareipc is bare-ipc for Go: a connected pair of ports, each a
// duplex byte stream over two one-way OS pipes, that can be handed on to a
// child process or over an IPC pipe, and MessagePort, the length-prefixed
// framing a Bare program reads with bare-structured-clone.
//
// The smallest use, two ports in one process:
//
//	a, b, err := bareipc.Open()
//	...
//	sa, _ := a.Connect(pipe.Config{})
//	sb, _ := b.Connect(pipe.Config{})
//	ma := bareipc.NewMessagePort(sa, bareipc.StructuredClone, 0)
//	mb := bareipc.NewMessagePort(sb, bareipc.StructuredClone, 0)
//	ma.Send(map[string]any{"hello": "bare"})
//	v, err := mb.Recv()
//
// [Open] returns two connected [Port]s, as bare-ipc's IPC.open(): each
// is an incoming and an outgoing one-way OS pipe, held as fds until it is
// used, once. [Port.Connect] makes it a duplex [Stream] (io.ReadWriteCloser
// with CloseWrite, deadlines and Ref/Unref; the pipes are the backpressure);
// [Port.HandTo] hands it to a child process that an exec.Cmd will start (as
// inherited fds named by PortEnv), where [FromEnv] rebuilds it;
// [SendPort] and [ReceivePort] move it over an IPC pipe as two handles;
// [Port.Detach] gives its fds up (bare's transfer protocol). [Port.Incoming],
// [Port.Outgoing] and [Port.Detached] are bare-ipc's port.incoming,
// port.outgoing and port.detached: they look at the port without using it
// up. Like bare-ipc's, the stream has no framing.
//
// A [MessagePort] frames whole messages over any byte stream, a connected
// Port or a pipe. Its framing is uvpipe's own: bare-ipc has no framing and
// Bare ships no module that speaks it. Each message is
//
//	uint32 length, big-endian | payload of that many bytes
//
// where the payload is bare-structured-clone (version 0 by default, what the
// registry's Bare runtime runs; version 1 selectable) in its
// serializeWithTransfer form encoded with compact-encoding, or JSON.stringify
// text. The Bare side is interop/uvpipe-msgport.js, a small module to copy
// into a Bare program (it needs bare-events, bare-structured-clone and
// compact-encoding): new MessagePort(stream, {encoding}) over a bare-ipc
// stream or a bare-pipe Pipe, with send(value), end(), the events 'message',
// 'messageerror' (a payload that does not decode; the next message reads as
// usual), 'end', 'error' (a broken frame destroys the stream) and 'close',
// and async iteration over the messages. interop/msgport-peer.js uses it
// with bare-ipc, and the tests run it under the pinned bare. By hand, a Bare
// program collects the 4-byte length and that many bytes, then calls
// clone.deserializeWithTransfer(c.decode(clone, payload)); it writes
// c.encode(clone, clone.serializeWithTransfer(value)) behind such a length.
//
// # Errors destroy the stream
//
// As bare-ipc documents its stream (a streamx Duplex: an error is emitted,
// then the stream is destroyed): the first read or write error but io.EOF
// and a deadline (EPIPE once the other port's reader is gone) closes both
// pipes, and every Read and Write after it returns that same error
// ([Stream.Err]); a Read never reports io.EOF after it. (bare-ipc 1.1.1
// itself emits 'end', calls the write's callback without an error, and then
// throws the EPIPE as an uncaught exception; uvpipe reports it instead.)
//
// # Rules
//
//   - A Port is used once: Connect, HandTo, SendPort and Detach each use it
//     up, and a second use returns [ErrDetached]. Close on an unused port
//     closes its fds; on a used one it does nothing.
//   - Ownership: the fds are the port's until it is used; after Detach they
//     are the caller's; after Connect they are the Stream's (closed by
//     Stream.Close, and by Connect itself when it fails).
//   - A MessagePort's Send and Recv are each safe for concurrent use. A
//     message that does not decode is an error and the next Recv reads the
//     next message; a broken frame ([ErrFrame]) ends the port, and a stream
//     cut inside a frame wraps io.ErrUnexpectedEOF.
//
// # What differs from bare-ipc
//
//   - A port handed to a child travels as two inherited fds named by
//     [PortEnv]; bare-ipc hands them in its own spawn options.
//   - The stream is an io.ReadWriteCloser with deadlines, not a streamx
//     Duplex; it has no framing of its own, as in bare-ipc.
//
// Ports are OS pipes held as unix fds: on Windows the package builds
// without them (no Open, Port, HandTo, FromEnv, SendPort, ReceivePort),
// and MessagePort frames messages over any byte stream there.
package bareipc
