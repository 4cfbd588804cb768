// net-ipc request/response timed for `uvpipe bench` (cmd/uvpipe/bench_jsrows.go):
//
//   node bench-netipc.js <socket path> <n>
//
// Starts a net-ipc Server on the path that answers each request with the
// request itself, connects a net-ipc Client to it in this same process, times
// n requests of {n:1,s:'ping'} one after the other after 1000 untimed ones,
// and prints {"ns": nanoseconds per request}.
//
// Any failure goes to stderr and exits with status 1.
const { Client, Server } = require('net-ipc')

async function main () {
  const [path, nText] = process.argv.slice(2)
  const n = Number(nText)
  const server = new Server({ path })
  server.on('request', (req, reply) => reply(req))
  await server.start()
  const client = new Client({ path, reconnect: false })
  await client.connect()
  const msg = { n: 1, s: 'ping' }
  for (let i = 0; i < 1000; i++) await client.request(msg)
  const t0 = process.hrtime.bigint()
  for (let i = 0; i < n; i++) await client.request(msg)
  const ns = Number(process.hrtime.bigint() - t0) / n
  await client.close()
  await server.close()
  console.log(JSON.stringify({ ns }))
}

main().catch((e) => { process.stderr.write(String(e && e.stack || e) + '\n'); process.exit(1) })
