// Loads every Bare module uvpipe's tests use and prints what proves it works
// (internal/interop's TestPeersRun).
const Pipe = require('bare-pipe')
const tcp = require('bare-tcp')
const IPC = require('bare-ipc')
const Channel = require('bare-channel')
const clone = require('bare-structured-clone')
const c = require('compact-encoding')
const bytes = c.encode(clone, clone.serializeWithTransfer({ a: 1 }))
console.log(Bare.version, typeof Pipe, typeof tcp.createServer, typeof IPC, typeof Channel, Buffer.from(bytes).toString('hex'))
