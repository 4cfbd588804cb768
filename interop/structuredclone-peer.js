// Test peer for ipc/structuredclone: bare-structured-clone 1.x (version 0)
// under Bare, driven over stdin/stdout, one request per line.
//
//   R <js source as a JSON string> <hex>  ->  <hex of serializing eval(source)> <hex of re-serializing the deserialized hex>
//   T <n> <hex>                           ->  <ns per serialize> <ns per deserialize> (n rounds each, of the deserialized hex)
//
// Fields are tab-separated. An exception answers "E <message>".
const Pipe = require('bare-pipe')
const sc = require('bare-structured-clone')
const c = require('compact-encoding')
const hrtime = require('bare-hrtime')

const stdin = new Pipe(0)
const stdout = new Pipe(1)

function ser(v) {
  return c.encode(sc, sc.serializeWithTransfer(v))
}

function de(buf) {
  return sc.deserializeWithTransfer(c.decode(sc, buf))
}

function hex(buf) {
  return Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('hex')
}

function now() {
  return Number(hrtime.bigint())
}

function handle(line) {
  const f = line.split('\t')
  switch (f[0]) {
    case 'R': {
      const value = (0, eval)(JSON.parse(f[1]))
      const a = hex(ser(value))
      let b
      try {
        b = hex(ser(de(Buffer.from(f[2], 'hex'))))
      } catch (err) {
        b = 'E:' + String(err && err.message).replace(/\s+/g, ' ')
      }
      return a + '\t' + b
    }
    case 'T': {
      const n = Number(f[1])
      const bytes = Buffer.from(f[2], 'hex')
      const value = de(bytes)
      for (let i = 0; i < Math.min(n, 100); i++) de(ser(value)) // warm up
      let t = now()
      for (let i = 0; i < n; i++) ser(value)
      const serNs = (now() - t) / n
      t = now()
      for (let i = 0; i < n; i++) de(bytes)
      const deNs = (now() - t) / n
      return serNs + '\t' + deNs
    }
  }
  throw new Error('unknown request ' + f[0])
}

let pending = ''
stdin.on('data', (data) => {
  pending += data.toString()
  let i
  while ((i = pending.indexOf('\n')) >= 0) {
    const line = pending.slice(0, i)
    pending = pending.slice(i + 1)
    let out
    try {
      out = handle(line)
    } catch (err) {
      out = 'E ' + String(err && err.stack).replace(/\s+/g, ' ')
    }
    stdout.write(out + '\n')
  }
})
stdin.on('end', () => stdout.end())
