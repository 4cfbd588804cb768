// Package ipc holds no code: each inter-process protocol uvpipe speaks is a
// package of its own below it, and the value codecs they share sit beside
// them.
//
// The protocols:
//
//   - [github.com/uvpipe/uvpipe/ipc/nodeipc]: Node's and Bun's child_process
//     channel. Start a child with a channel (nodeipc.Start), be the child of
//     a Node, Bun or Go parent (nodeipc.FromEnv), exchange messages in json
//     or advanced serialization (V8's with Node, JavaScriptCore's in Bun's
//     framing with Bun) and pass live sockets.
//   - [github.com/uvpipe/uvpipe/ipc/bareipc]: bare-ipc's ports, a duplex
//     stream over two one-way pipes that can be handed on to a child, and
//     MessagePort, bare-ipc's length-prefixed message framing.
//   - [github.com/uvpipe/uvpipe/ipc/netipc]: the net-ipc and @isdk/ipc-server
//     wire: a server and a reconnecting client over a unix socket, with
//     messages, requests, ping and publish/subscribe.
//
// The codecs, pure Go and usable alone: [github.com/uvpipe/uvpipe/ipc/jsvalue]
// (the value model), [github.com/uvpipe/uvpipe/ipc/nodejson] (JSON exactly as
// JSON.stringify writes it), [github.com/uvpipe/uvpipe/ipc/v8] (the V8 value
// serializer), [github.com/uvpipe/uvpipe/ipc/structuredclone]
// (bare-structured-clone) and [github.com/uvpipe/uvpipe/ipc/jsc]
// (JavaScriptCore's serialized values).
package ipc
