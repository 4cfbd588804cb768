// A Node parent for the ipc tests: spawns the Go test binary (argv[2]) as a
// child with an IPC channel in the given serialization (argv[4]) and runs one
// scenario (argv[3]) against it. Exits 0 when every check passed.
'use strict'
const { spawn } = require('child_process')
const http = require('http')
const net = require('net')
const dgram = require('dgram')

const [, , bin, scenario, mode] = process.argv
const { timer, fail, deliver, next, expect, values, messageScenarios } = require('./harness.js')('parent.js ' + scenario + '/' + mode)

const child = spawn(bin, ['-test.run=^$'], {
  stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  serialization: mode,
  env: { ...process.env, UVPIPE_IPC_CHILD: 'echo' }
})
child.on('message', deliver)
child.on('error', (err) => fail('child: ' + err))
function get (port) {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, agent: false }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (d) => { body += d })
      res.on('end', () => resolve(body))
    }).on('error', reject)
  })
}
function listen (server) {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)))
}

if (mode === 'advanced') {
  values.push(Buffer.from([1, 2, 3]), new Map([[1, 'x']]), new Set(['y']), new Date(0),
    { b: 10n, c: -(2n ** 64n) }, { u: undefined }, new Uint8Array([9, 8]), /ab/gi, [1, , 3], -0, NaN) // eslint-disable-line no-sparse-arrays
}

const scenarios = {
  ...messageScenarios(child),
  async big () {
    const s = 'é€😀a'.repeat((1 << 20) / 10)
    child.send({ s })
    expect(await next(), { s }, '1 MiB message')
  },
  async internal () {
    child.send({ cmd: 'NODE_TEST_INTERNAL', x: 1 })
    child.send('after')
    expect(await next(), 'after', 'message after an internal one')
    child.send('internal')
    expect(await next(), 'after-internal', 'message after the Go child sent an internal one')
  },
  async server () {
    const server = net.createServer((s) => s.end('node served this\n'))
    const port = await listen(server)
    child.send('srv', server)
    expect(await next(), { ready: 'srv', type: 'net.Server' }, 'the Go child ready')
    await new Promise((resolve) => server.close(resolve))
    expect(await get(port), 'go:srv', 'HTTP through the listener the Go child serves')
  },
  async socket () {
    // pauseOnConnect, as Node's documentation advises: a socket being sent
    // must not be read here meanwhile.
    const server = net.createServer({ pauseOnConnect: true }, (s) => child.send('sock', s))
    const port = await listen(server)
    const body = await get(port)
    expect(await next(), { ready: 'sock', type: 'net.Socket' }, 'the Go child ready')
    expect(body, 'go-socket:sock', 'HTTP served by the Go child on the sent socket')
    // The server asks the child about the socket (NODE_SOCKET_NOTIFY_CLOSE)
    // and closes once the child answers NODE_SOCKET_ALL_CLOSED.
    await new Promise((resolve) => server.close(resolve))
  }
}

Object.assign(scenarios, {
  async socketlist () {
    // Sockets accepted here go to the Go child with the server's key; the
    // server's getConnections counts those the child still holds, and its
    // close waits until the child has closed them (NODE_SOCKET_*).
    const server = net.createServer({ pauseOnConnect: true }, (s) => child.send('hold', s))
    const port = await listen(server)
    const clients = []
    for (let i = 1; i <= 2; i++) {
      clients.push(net.connect(port, '127.0.0.1'))
      expect(await next(), { held: i }, 'the Go child holds socket ' + i)
    }
    const count = () => new Promise((resolve, reject) => {
      server.getConnections((err, n) => { if (err) reject(err); else resolve(n) })
    })
    expect(await count(), 2, 'connections counted while the Go child holds both')
    child.send('release-one')
    expect(await next(), 'released-one', 'the Go child closed one socket')
    expect(await count(), 1, 'connections counted after the Go child closed one')
    let closed = false
    const closing = new Promise((resolve) => server.close(() => { closed = true; resolve() }))
    child.send('release')
    expect(await next(), 'releasing', 'the Go child about to close the other')
    expect(closed, false, 'the server closed while the Go child still held a socket')
    await closing
    for (const c of clients) c.destroy()
  },
  async udp () {
    const sock = dgram.createSocket('udp4')
    await new Promise((resolve) => sock.bind(0, '127.0.0.1', resolve))
    if (process.platform === 'win32') {
      // Windows passes no UDP socket between processes: node.exe's send
      // fails before writing anything, and the channel goes on.
      const err = await new Promise((resolve) => child.send('udp', sock, resolve))
      expect(err && err.code, 'ENOTSUP', 'the error of sending a UDP socket on Windows')
      sock.close()
      child.send('after')
      expect(await next(), 'after', 'a message after the refused send')
      return
    }
    const port = sock.address().port
    child.send('udp', sock)
    expect(await next(), { ready: 'udp', type: 'dgram.Socket' }, 'the Go child ready')
    sock.close() // the Go child alone answers now
    const client = dgram.createSocket('udp4')
    const reply = new Promise((resolve) => client.on('message', (m) => resolve(String(m))))
    client.send('ping', port, '127.0.0.1')
    expect(await reply, 'go-udp:udp:ping', 'the Go child\'s answer on the sent UDP socket')
    client.close()
  },
  async shared () {
    // Both processes accept on the same listening socket until each has
    // served at least one connection.
    const server = http.createServer((req, res) => res.end('node:srv'))
    const port = await listen(server)
    child.send('srv', server)
    expect(await next(), { ready: 'srv', type: 'net.Server' }, 'the Go child ready')
    const seen = new Set()
    for (let i = 0; i < 500 && seen.size < 2; i++) seen.add(await get(port))
    expect([...seen].sort(), ['go:srv', 'node:srv'], 'servers that answered')
    await new Promise((resolve) => server.close(resolve))
  },
  async exitqueued () {
    // The Go child exits on 'exit-now' while handles wait behind an ACK.
    const server = net.createServer()
    await listen(server)
    const errors = []
    child.send('exit-now')
    for (let i = 0; i < 3; i++) child.send('h' + i, server, (err) => { if (err) errors.push(err) })
    child.send('after', (err) => { if (err) errors.push(err) })
    const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c)))
    if (code !== 0) fail('Go child exited with ' + code)
    server.close()
    clearTimeout(timer)
    process.exit(0) // alive; the sends may have reported errors, as Node does
  }
})

async function main () {
  const run = scenarios[scenario]
  if (!run) fail('no scenario ' + scenario)
  await run()
  child.disconnect()
  const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c)))
  if (code !== 0) fail('Go child exited with ' + code)
  clearTimeout(timer)
}
main().catch((err) => fail(err.stack))
