// Test peer for ipc/ (ipc/netipc_*_test.go): the pinned net-ipc under
// node, as a client of the Go server or as a server for the Go client.
//
//   node netipc-peer.js client <path> [handshake]
//     Connects with extras {"from":"node"} (with the GET upgrade preamble
//     when "handshake" is given), sends a message, makes a request,
//     pings, answers the server's request {"q":n} with {"a":n+1}, prints one
//     JSON line per result and, once the server sends its message "end"
//     and those are done, closes with reason "node done" and prints {"close":...}.
//
//   node netipc-peer.js reconnect-client <path> <id>
//     Connects with id <id> and net-ipc's default reconnect, prints each
//     status as {"status":n}, each ready as {"ready":id}, each message as
//     {"message":m}, and {"close":reason} when it gives up, then exits.
//
//   node netipc-peer.js first-client <path> <retries>|noreconnect
//     Connects to a server that may not be there yet, with net-ipc's
//     reconnect and <retries> retries, or with reconnect: false. Prints
//     each status as {"status":n}, then
//     {"ready":id} once connect() resolves, {"rejected":code} (the error's
//     code, else its text) if it rejects, and {"close":reason} on a close
//     event; 200 ms after a close event it prints {"settled":bool}, whether
//     connect() had settled by then. Exits when stdin ends.
//
//   node netipc-peer.js early-client <path>
//     Connects and prints {"event":"ready"} and each message as they come,
//     in order; exits when stdin ends or the connection closes.
//
//   node netipc-peer.js survey-client <path> <id> answer|never|silent
//     Connects with id <id> and no reconnect, and answers the server's
//     requests: "answer" with {"id":<id>,"double":2*req.n} (then prints
//     {"answered":id,"n":req.n}), "never" not at
//     all (it prints {"asked":id}), "silent" with no request listener
//     (net-ipc's empty RESPONSE). Prints {"ready":id}; exits when stdin
//     ends.
//
//   node netipc-peer.js server <path>
//     Serves: answers a request with {"echo":req}, echoes a message back as
//     {"got":msg}, prints connect, message and disconnect events as JSON lines,
//     and prints {"ready":true} once listening. Reads commands from stdin,
//     one a line: "close true" / "close false" (server.close(allowReconnect),
//     then prints {"closed":true}) and "start" (listens again, prints
//     {"ready":true}). Exits when stdin ends, after server.close().
//
//   node netipc-peer.js flood <path> <n>
//     Connects and sends <n> requests {"hold":i} without waiting for their
//     answers, prints {"sent":n}, and waits to be killed.
//
//   node netipc-peer.js bench-server <path>
//     An echo server (request → the same data) for the benchmarks; prints
//     {"ready":true}, exits when stdin ends.
//
//   node netipc-peer.js bench-client <path> <conns> <requests>
//     Opens <conns> clients; each makes <requests>/<conns> requests one
//     after the other, all clients at once. Prints {"rps":r,"p50":µs,"p99":µs}.
//
// Any failure goes to stderr and exits with status 1.
const { Client, Server } = require('net-ipc')
const readline = require('readline')

const [mode, path, ...rest] = process.argv.slice(2)
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n')
const fail = (e) => { process.stderr.write(String(e && e.stack || e) + '\n'); process.exit(1) }
const text = (reason) => reason == null ? null : String(reason.message || reason)

async function client () {
  const c = new Client({ path, reconnect: false, handshake: rest[0] === 'handshake' })
  c.on('request', (req, reply) => reply({ a: req.q + 1 }))
  let sequence
  c.on('message', async (m) => {
    if (m === 'end') await sequence
    out({ message: m })
    if (m === 'end') await c.close('node done')
  })
  c.on('close', (reason) => { out({ close: text(reason) }); process.exit(0) })
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

async function reconnectClient () {
  const c = new Client({ path })
  c.id = rest[0]
  c.on('status', (s) => out({ status: s }))
  c.on('ready', () => out({ ready: c.id }))
  c.on('message', (m) => out({ message: m }))
  c.on('close', (reason) => { out({ close: text(reason) }); process.exit(0) })
  await c.connect({ from: 'node' })
}

async function firstClient () {
  const noReconnect = rest[0] === 'noreconnect'
  const c = new Client(noReconnect ? { path, reconnect: false } : { path, retries: Number(rest[0]) })
  let settled = false
  c.on('status', (s) => out({ status: s }))
  c.on('close', (reason) => {
    out({ close: text(reason) })
    setTimeout(() => out({ settled }), 200)
  })
  process.stdin.on('end', () => process.exit(0))
  process.stdin.resume()
  c.connect().then((ready) => { settled = true; out({ ready: ready.id }) },
    (e) => { settled = true; out({ rejected: (e && e.code) || text(e) }) })
}

// early-client: prints ready and each message in the order they come.
async function earlyClient () {
  const c = new Client({ path, reconnect: false })
  c.on('ready', () => out({ event: 'ready' }))
  c.on('message', (m) => out({ message: m }))
  c.on('close', (reason) => { out({ close: text(reason) }); process.exit(0) })
  process.stdin.on('end', () => process.exit(0))
  process.stdin.resume()
  await c.connect()
}

async function surveyClient () {
  const [id, how] = rest
  const c = new Client({ path, reconnect: false })
  c.id = id
  if (how === 'answer') {
    c.on('request', async (req, reply) => {
      await reply({ id, double: 2 * req.n })
      out({ answered: id, n: req.n })
    })
  }
  else if (how === 'never') c.on('request', () => out({ asked: id }))
  else if (how !== 'silent') fail('unknown survey answer ' + how)
  process.stdin.on('end', () => process.exit(0))
  process.stdin.resume()
  const ready = await c.connect()
  out({ ready: ready.id })
}

async function server () {
  const s = new Server({ path })
  s.on('connect', (conn, extras) => out({ connect: extras, id: conn.id }))
  s.on('message', (m, conn) => { out({ message: m }); conn.send({ got: m }) })
  s.on('request', (req, reply) => reply({ echo: req }))
  s.on('disconnect', (conn, reason) => out({ disconnect: text(reason) }))
  s.on('error', (e) => out({ error: text(e) }))
  await s.start()
  out({ ready: true })
  const lines = readline.createInterface({ input: process.stdin })
  lines.on('line', async (line) => {
    const [cmd, arg] = line.split(' ')
    if (cmd === 'close') {
      await s.close(arg === 'true')
      out({ closed: true })
    } else if (cmd === 'start') {
      if (s.server) await new Promise((resolve) => s.once('close', resolve))
      await s.start()
      out({ ready: true })
    }
  })
  lines.on('close', async () => { await s.close(); process.exit(0) })
}

async function flood () {
  const c = new Client({ path, reconnect: false })
  await c.connect({ from: 'flood' })
  const n = Number(rest[0])
  for (let i = 0; i < n; i++) c.request({ hold: i }, 0).catch(() => {})
  out({ sent: n })
}

async function benchServer () {
  const s = new Server({ path })
  s.on('request', (req, reply) => reply(req))
  await s.start()
  out({ ready: true })
  process.stdin.resume()
  process.stdin.on('end', async () => { await s.close(); process.exit(0) })
}

async function benchClient () {
  const conns = Number(rest[0])
  const per = Math.ceil(Number(rest[1]) / conns)
  const clients = []
  for (let i = 0; i < conns; i++) {
    const c = new Client({ path, reconnect: false })
    await c.connect()
    clients.push(c)
  }
  const lat = []
  const start = process.hrtime.bigint()
  await Promise.all(clients.map(async (c) => {
    for (let i = 0; i < per; i++) {
      const t = process.hrtime.bigint()
      await c.request(i)
      lat.push(Number(process.hrtime.bigint() - t) / 1000)
    }
  }))
  const secs = Number(process.hrtime.bigint() - start) / 1e9
  lat.sort((a, b) => a - b)
  const at = (q) => lat[Math.min(lat.length - 1, Math.floor(q * lat.length))]
  out({ rps: lat.length / secs, p50: at(0.5), p99: at(0.99) })
  await Promise.all(clients.map((c) => c.close()))
  process.exit(0)
}

const modes = {
  client,
  'reconnect-client': reconnectClient,
  'first-client': firstClient,
  'survey-client': surveyClient,
  'early-client': earlyClient,
  server,
  flood,
  'bench-server': benchServer,
  'bench-client': benchClient
}
if (!modes[mode]) fail('unknown mode ' + mode)
modes[mode]().catch(fail)
