// The Bare end of ipc's MessagePort test: a bare-ipc port handed to Bare as
// two fds (incoming, outgoing: argv). Messages are framed as
// uint32 big-endian length + bare-structured-clone (version 0) payload. It
// first sends a greeting built here, then echoes every message it decodes,
// encoded again, and ends its side when the input ends.
const Pipe = require('bare-pipe')
const clone = require('bare-structured-clone')
const c = require('compact-encoding')

const [inFd, outFd] = Bare.argv.slice(2).map(Number)
const input = new Pipe(inFd)
const output = new Pipe(outFd)

function send (value) {
  const payload = Buffer.from(c.encode(clone, clone.serializeWithTransfer(value)))
  const header = Buffer.alloc(4)
  header.writeUInt32BE(payload.length, 0)
  output.write(Buffer.concat([header, payload]))
}

send({ hello: 'from bare', n: 42, list: [1, 2, 3], map: new Map([[1, 'x']]), when: new Date(0) })

let pending = Buffer.alloc(0)
input.on('data', (chunk) => {
  pending = Buffer.concat([pending, chunk])
  while (pending.length >= 4) {
    const n = pending.readUInt32BE(0)
    if (pending.length < 4 + n) break
    const payload = pending.subarray(4, 4 + n)
    pending = pending.subarray(4 + n)
    send(clone.deserializeWithTransfer(c.decode(clone, payload)))
  }
})
input.on('end', () => output.end())
