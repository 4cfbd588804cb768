// Command uvpipe is uvpipe's command line. Each subcommand has its own help
// (uvpipe help COMMAND, or uvpipe COMMAND -h):
//
//	uvpipe demo                 the library at work, nothing to set up: the default
//	                            loop, then a child (uvpipe itself, then node when it
//	                            is on the PATH) sent a listening TCP socket over IPC,
//	                            serving on it while this process talks through it
//	uvpipe listen PATH          nc -lU: accept one connection, bridge stdin/stdout
//	uvpipe connect PATH         nc -U; both with --ipc report handles that arrive
//	uvpipe fork [flags] CMD...  start CMD with a Node-style IPC channel: JSON lines
//	                            on stdin are sent, messages are printed as lines;
//	                            the end of stdin leaves the channel open until CMD
//	                            disconnects or exits (--disconnect, --linger D)
//	uvpipe serve [PATH]         a net-ipc/@isdk-compatible broker
//	uvpipe send|request|ping|publish|subscribe [-s PATH] ...
//	                            its client side, at serve's default path
//	uvpipe version              uvpipe's version and libuv's
//	uvpipe bench [--json]       side-by-side measurements, each with its ratio to a
//	                            baseline taken in the same run
//
// Exit codes: 0 when the command did its job, 1 when it failed while running,
// 2 when it was called wrongly, 128+n when signal n ended it (listen,
// connect, serve and subscribe catch SIGINT and SIGTERM, close what they
// hold, then exit so); fork exits with its child's status (128+n when a
// signal n ended the child), 127 when the command is not found, 126 when it
// cannot be executed. Errors go to stderr as one line beginning "uvpipe: ".
//
// # Typed JSON (fork)
//
// fork prints each message as one line of JSON, and reads each stdin line as
// one. Values JSON lacks are objects with a "$type" key, in both directions:
//
//	undefined                 {"$type":"undefined"}
//	BigInt                    {"$type":"bigint","value":"123"}
//	NaN, ±Infinity            {"$type":"number","value":"NaN"} ("Infinity", "-Infinity")
//	Date                      {"$type":"Date","value":"2024-01-02T03:04:05.678Z"} (null: invalid)
//	RegExp                    {"$type":"RegExp","source":"a+","flags":"g"}
//	Map                       {"$type":"Map","entries":[[key,value],...]}
//	Set                       {"$type":"Set","values":[...]}
//	Buffer                    {"$type":"Buffer","base64":"..."}
//	ArrayBuffer               {"$type":"ArrayBuffer","base64":"..."}
//	typed array, DataView     {"$type":"Uint8Array","base64":"..."} (its bytes, little-endian)
//	Error                     {"$type":"Error","name":"TypeError","message":"...","stack":"..."}
//	                          (and "cause", "errors" when present)
//	new Number(1) etc.        {"$type":"Boxed","value":1}
//	array hole                {"$type":"hole"}
//	array with named props    {"$type":"Array","elements":[...],"props":{...}}
//	sparse array              {"$type":"SparseArray","length":n,"elements":{"i":v},"props":{...}}
//	URL (bare)                {"$type":"URL","href":"..."}
//	a cycle                   {"$type":"circular"} where a value contains itself
//	object with a "$type" key {"$type":"object","value":{...}}
//
// A sparse array whose elements are all present (V8 re-serializes an array
// it deserialized that way) is printed as a plain array. In json mode the
// messages are JSON.stringify's text both ways, so what the child sends
// never needs an annotation (but a "$type" key of its own), and what is sent
// follows JSON.stringify: a Date becomes its string, undefined in an object
// is dropped, a Map or Set becomes {}, and a BigInt is refused (the line is
// reported on stderr and not sent). In advanced mode every type crosses as
// itself. A handle that comes with a message is reported in a line of its own
// before the message, {"$type":"handle","handleType":"net.Server","socket":
// "a tcp handle (listening on 127.0.0.1:4000)"}, and closed.
//
// # Finding the JavaScript peers (bench)
//
// bench runs scripts of the uvpipe source tree (ipc/nodeipc/testdata/bench.js,
// interop/bench-*.js, interop/channel-bench.js) and the bun and bare pinned
// in its interop/node_modules; node comes from the PATH. The tree is --root,
// else $UVPIPE_ROOT, else the first directory holding interop/package.json
// upward from the working directory, then from the executable's directory,
// so `go run ./cmd/uvpipe bench` works from a clone. A peer that is not
// there makes its row "missing" with the reason.
package main
