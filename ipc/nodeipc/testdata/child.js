// A Node child for the ipc tests, started by a Go parent with an IPC channel:
// it echoes every message, answers "internal" with an internal message then
// "after-internal", serves on the handles it is sent, and disconnects on
// "exit".
'use strict'
const net = require('net')
const dgram = require('dgram')

// Handles being served, closed when the parent disconnects so the child
// can exit.
const served = []
process.on('disconnect', () => { for (const h of served) h.close() })

process.on('message', (msg, handle) => {
  if (handle) {
    if (handle instanceof net.Server) {
      served.push(handle)
      handle.on('connection', (s) => s.end('node:' + msg + '\n'))
      process.send({ ready: msg, type: 'net.Server' })
      return
    }
    if (handle instanceof net.Socket) {
      handle.end('node-socket:' + msg + '\n')
      process.send({ ready: msg, type: 'net.Socket' })
      return
    }
    if (handle instanceof dgram.Socket) {
      served.push(handle)
      handle.on('message', (m, rinfo) => handle.send('node-udp:' + m, rinfo.port, rinfo.address))
      process.send({ ready: msg, type: 'dgram.Socket' })
      return
    }
    process.send({ ready: msg, type: 'unknown' })
    return
  }
  if (msg === 'internal') {
    process.send({ cmd: 'NODE_TEST_INTERNAL', x: 1 })
    process.send('after-internal')
    return
  }
  if (msg === 'exit-now') {
    process.exit(0) // with whatever the parent still has queued
  }
  if (msg === 'exit') {
    process.disconnect()
    return
  }
  process.send(msg)
})
