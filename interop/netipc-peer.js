// Test peer for ipc/ (ipc/netipc_node_test.go): the pinned net-ipc under
// node, as a client of the Go server or as a server for the Go client.
//
//   node netipc-peer.js client <path>
//     Connects with extras {"from":"node"}, sends a message, makes a request,
//     pings, answers the server's request {"q":n} with {"a":n+1}, prints one
//     JSON line per result and, once the server sends its message "end"
//     and those are done, closes with reason "node done" and prints {"close":...}.
//
//   node netipc-peer.js server <path>
//     Serves: answers a request with {"echo":req}, echoes a message back as
//     {"got":msg}, prints connect, message and disconnect events as JSON lines,
//     and prints {"ready":true} once listening. Exits when stdin ends,
//     after server.close().
//
// Any failure goes to stderr and exits with status 1.
const { Client, Server } = require('net-ipc')

const [mode, path] = process.argv.slice(2)
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n')
const fail = (e) => { process.stderr.write(String(e && e.stack || e) + '\n'); process.exit(1) }

async function client () {
  const c = new Client({ path, reconnect: false })
  c.on('request', (req, reply) => reply({ a: req.q + 1 }))
  let sequence
  c.on('message', async (m) => {
    if (m === 'end') await sequence
    out({ message: m })
    if (m === 'end') await c.close('node done')
  })
  c.on('close', (reason) => { out({ close: reason == null ? null : String(reason) }); process.exit(0) })
  sequence = (async () => {
    const ready = await c.connect({ from: 'node' })
    out({ id: ready.id })
    await c.send({ hello: 'go' })
    out({ response: await c.request({ n: 41 }) })
    const rtt = await c.ping()
    out({ ping: typeof rtt })
  })()
  await sequence
}

async function server () {
  const s = new Server({ path })
  s.on('connect', (conn, extras) => out({ connect: extras, id: conn.id }))
  s.on('message', (m, conn) => { out({ message: m }); conn.send({ got: m }) })
  s.on('request', (req, reply) => reply({ echo: req }))
  s.on('disconnect', (conn, reason) => out({ disconnect: reason == null ? null : String(reason) }))
  s.on('error', (e) => out({ error: String(e.message || e) }))
  await s.start()
  out({ ready: true })
  process.stdin.resume()
  process.stdin.on('end', async () => { await s.close(); process.exit(0) })
}

(mode === 'client' ? client() : server()).catch(fail)
