// The Bare end of ipc/bareipc's tests: a port handed to Bare as two fds
// (incoming, outgoing: argv), opened with bare-ipc.
//
//   bare msgport-peer.js <in> <out> [structured-clone|json]
//     Speaks MessagePort's framing with interop/uvpipe-msgport.js: first
//     sends a greeting built here, then echoes every message it decodes,
//     encoded again, and ends its side when the input ends. A message that
//     does not decode is answered with {"messageerror": <message>}.
//
//   bare msgport-peer.js <in> <out> destroy
//     Connects the port and destroys the stream at once (both pipes close),
//     then exits.
const IPC = require('bare-ipc')
const MessagePort = require('./uvpipe-msgport')

const [inFd, outFd] = Bare.argv.slice(2, 4).map(Number)
const mode = Bare.argv[4] || 'structured-clone'

const ipc = new IPC({ incoming: inFd, outgoing: outFd })

if (mode === 'destroy') {
  ipc.destroy()
} else {
  const port = new MessagePort(ipc, { encoding: mode })
  port.on('error', (err) => {
    console.error('msgport-peer:', err)
    Bare.exit(1)
  })
  const greeting = { hello: 'from bare', n: 42, list: [1, 2, 3] }
  if (mode === 'structured-clone') {
    greeting.map = new Map([[1, 'x']])
    greeting.when = new Date(0)
  }
  port.send(greeting)
  port.on('message', (value) => port.send(value))
  port.on('messageerror', (err) => port.send({ messageerror: err.message }))
  port.on('end', () => port.end())
}
