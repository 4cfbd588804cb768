// A Bun child for the generated round trips, in Bun's advanced mode (its
// default): it answers each message m with [m, hex of bun:jsc's
// serialize(m)], so the Go parent checks both what Bun read and the bytes
// Bun itself writes for it.
'use strict'
const { serialize } = require('bun:jsc')

process.on('message', (m) => {
  process.send([m, Buffer.from(serialize(m)).toString('hex')])
})
