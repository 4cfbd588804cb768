// The node (or bun) child of uvpipe fork's tests: node fork-child.js ROLE
//   echo:   sends {"hello":"node"} ("bun" under bun), echoes every message back; a
//           message {"exit":n} makes it exit with n, {"kill":"SIGTERM"} kills
//           it with that signal; it exits 0 when the channel disconnects.
//   values: (advanced) sends one message holding every value JSON lacks,
//           then (under node) one with a listening server, then
//           disconnects. Bun's advanced mode carries no handle.
//   early:  exits with 3 before reading anything.
//   worker: answers a message {"job":n} with {"done":n} once its work (a
//           timer) is over, then exits 0: the worker of the README's
//           'echo {"job":1} | uvpipe fork -- node worker.js'.
'use strict'
const net = require('net')

const role = process.argv[2]
if (role === 'early') process.exit(3)

if (role === 'echo') {
  process.send({ hello: typeof Bun === 'undefined' ? 'node' : 'bun' })
  process.on('message', (m) => {
    if (m && typeof m === 'object' && 'exit' in m) process.exit(m.exit)
    if (m && typeof m === 'object' && 'kill' in m) process.kill(process.pid, m.kill)
    process.send(m)
  })
  process.on('disconnect', () => process.exit(0))
}

if (role === 'worker') {
  process.on('message', (m) => {
    setTimeout(() => process.send({ done: m.job }, () => process.exit(0)), 200)
  })
}

if (role === 'values') {
  const err = new TypeError('bad')
  err.stack = 'TypeError: bad\n    at test'
  process.send({
    big: 12345678901234567890n,
    date: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)),
    map: new Map([['a', 1], [2, 'b']]),
    set: new Set(['x', 1]),
    buf: Buffer.from('hi'),
    u16: new Uint16Array([1, 2]),
    undef: undefined,
    re: /a+/gi,
    nan: NaN,
    inf: -Infinity,
    err,
    $type: 'mine'
  })
  if (typeof Bun !== 'undefined') {
    process.send({ done: true }, () => process.disconnect())
    return
  }
  const srv = net.createServer().listen(0, '127.0.0.1', () => {
    process.send({ port: srv.address().port }, srv, () => {
      srv.close()
      process.disconnect()
    })
  })
}
