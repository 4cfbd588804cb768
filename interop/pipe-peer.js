// Test peer for pipe/ (pipe/bare_test.go): a Bare process that holds one end
// of a socket pair as fd 3 and opens it with bare-pipe as an IPC pipe.
//
//   bare pipe-peer.js accept
//     Takes every handle Go sends: in the 'handle' listener, accepts a TCP
//     socket (type 12) into a bare-tcp Socket and a pipe (type 7) into a
//     bare-pipe Pipe, synchronously; ends each with 'ping <i>' and reads what
//     comes back until its end. Over the IPC pipe it reports one JSON line per
//     handle, {"i", "type", "kind", "got"}, and, once Go has ended the IPC pipe
//     and every handle is done, {"log", "data"}: the order of 'handle' and
//     'data' events and all the bytes that came with the handles. Then it
//     ends the IPC pipe.
//
//   bare pipe-peer.js send <tcp port> <unix socket path>
//     Sends handles to Go, each with its own bytes, closing its own copy after
//     the write callback: 'tcp-conn' with a bare-tcp Socket connected to
//     127.0.0.1:<tcp port>; 'unix-conn' with a Pipe connected to the path;
//     'listener <port> <code>' with a listening bare-tcp server (code is the
//     error bare-pipe gives for sending the Server object itself; the server
//     is sent through an object of the IPC handle protocol wrapping its
//     handle). Then it ends the IPC pipe and exits once Go ends its side.
//
// Any failure goes to stderr and exits with status 1.
const Pipe = require('bare-pipe')
const tcp = require('bare-tcp')

const ipcHandle = Symbol.for('bare.ipc.handle')

const [cmd, ...args] = Bare.argv.slice(2)

function fail(err) {
  console.error('pipe-peer:', err && err.stack ? err.stack : err)
  Bare.exit(1)
}

const ipc = new Pipe(3, { ipc: true })
ipc.on('error', fail)

function report(obj) {
  ipc.write(JSON.stringify(obj) + '\n')
}

function accept() {
  const log = []
  let data = ''
  let pending = 0
  let ended = false

  function finish() {
    if (!ended || pending > 0) return
    report({ log, data })
    ipc.end()
  }

  ipc.on('handle', (type) => {
    log.push('H' + type)
    const i = log.filter((e) => e[0] === 'H').length - 1
    let sock
    if (type === 12) sock = ipc.accept(new tcp.Socket())
    else if (type === 7) sock = ipc.accept(new Pipe())
    else return fail(new Error('unexpected handle type ' + type))
    pending++
    let got = ''
    sock.on('error', fail)
    sock.on('data', (d) => {
      got += d
    })
    sock.on('end', () => {
      report({ i, type, kind: sock.constructor.name, got })
      sock.end()
    })
    sock.on('close', () => {
      pending--
      finish()
    })
    sock.end('ping ' + i)
  })
  ipc.on('data', (d) => {
    log.push('D' + d)
    data += d
  })
  ipc.on('end', () => {
    ended = true
    finish()
  })
}

function write(chunk, handle) {
  return new Promise((resolve, reject) => {
    ipc.write(chunk, handle, (err) => (err ? reject(err) : resolve()))
  })
}

function once(emitter, event) {
  return new Promise((resolve, reject) => {
    emitter.once(event, resolve)
    emitter.once('error', reject)
  })
}

async function send(port, path) {
  ipc.on('data', () => {})

  const sock = new tcp.Socket()
  sock.connect(Number(port), '127.0.0.1')
  await once(sock, 'connect')
  await write('tcp-conn', sock)
  sock.destroy()

  const p = new Pipe(path)
  await once(p, 'connect')
  await write('unix-conn', p)
  p.destroy()

  const server = tcp.createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  let code = 'none'
  try {
    ipc.write('never', server)
  } catch (err) {
    code = err.code
  }
  await write('listener ' + server.address().port + ' ' + code, { [ipcHandle]: server._handle })
  server.close()
  ipc.end()
}

if (cmd === 'accept') accept()
else if (cmd === 'send') send(...args).catch(fail)
else fail(new Error('unknown command ' + cmd))
