// A Bun parent for the generated round trips: Bun.spawn with its default
// (advanced) serialization starts the Go test binary (argv[2]) as an echo
// child, sends it every value of the file argv[3] and checks that what
// comes back serializes to the same bytes, with the same Buffers. Each line
// of the file is the Go side's bytes, in hex, for [value, its Buffers] and
// for value: the value is made from the first, and bun:jsc's serialize
// must write the second for it. Exits 0 when all did.
'use strict'
const fs = require('fs')
const { serialize, deserialize } = require('bun:jsc')

const [, , bin, file] = process.argv
const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((l) => l.split('\t'))
const toHex = (b) => Buffer.from(b).toString('hex')

// buffers counts the Buffers a value holds (each once), which only Bun's
// envelope (packet type 4) tells apart from Uint8Arrays.
function buffers (v, seen = new Set()) {
  if (v === null || typeof v !== 'object' || seen.has(v)) return 0
  seen.add(v)
  if (Buffer.isBuffer(v)) return v.length > 0 ? 1 : 0
  let n = 0
  if (v instanceof Map) for (const [k, x] of v) n += buffers(k, seen) + buffers(x, seen)
  else if (v instanceof Set) for (const x of v) n += buffers(x, seen)
  else if (!ArrayBuffer.isView(v) && !(v instanceof ArrayBuffer)) for (const k of Object.keys(v)) n += buffers(v[k], seen)
  return n
}
let total = 0

// restoreBuffers takes [message, buffers] as deserialize gives it and
// returns message with each of buffers made a Buffer again, as Bun's IPC
// does for its packet type 4 (JavaScriptCore writes a Buffer as a
// Uint8Array).
function restoreBuffers ([message, list]) {
  for (const b of list) Object.setPrototypeOf(b, Buffer.prototype)
  return message
}

let waiting = null
const child = Bun.spawn([bin], {
  stdio: ['inherit', 'inherit', 'inherit'],
  env: { ...process.env, UVPIPE_IPC_CHILD: 'echo' },
  ipc (m) { const w = waiting; waiting = null; w(m) }
})
const timer = setTimeout(() => { console.error('bungenparent.js: timed out'); child.kill(); process.exit(1) }, 120000)

async function main () {
  for (let i = 0; i < lines.length; i++) {
    const [envelope, want] = lines[i]
    const sent = restoreBuffers(deserialize(Buffer.from(envelope, 'hex')))
    if (toHex(serialize(sent)) !== want) {
      console.error('bungenparent.js: value ' + i + ': bun writes other bytes than Go:\ngo  ' + want + '\nbun ' + toHex(serialize(sent)))
      process.exit(1)
    }
    const got = await new Promise((resolve) => { waiting = resolve; child.send(sent) })
    const back = toHex(serialize(got))
    if (buffers(got) !== buffers(sent)) {
      console.error('bungenparent.js: value ' + i + ': ' + buffers(sent) + ' Buffers sent, ' + buffers(got) + ' came back')
      process.exit(1)
    }
    total += buffers(sent)
    if (back !== want) {
      console.error('bungenparent.js: value ' + i + ' came back different:\nsent ' + want + '\ngot  ' + back)
      process.exit(1)
    }
  }
  child.disconnect()
  const code = await child.exited
  clearTimeout(timer)
  if (code !== 0) { console.error('bungenparent.js: Go child exited with ' + code); process.exit(1) }
  if (total === 0) { console.error('bungenparent.js: no Buffer was sent'); process.exit(1) }
  console.log('ok ' + lines.length)
}
main().catch((err) => { console.error(err.stack); process.exit(1) })
