// Node's side of the ipc benchmarks. As a parent (no UVPIPE_BENCH_CHILD), it
// forks itself and times n ping-pong round trips or n one-way messages in
// serialization mode, then prints {"ns": nanoseconds per message}:
//
//	node bench.js pingpong|bulk json|advanced n
//
// As a child (UVPIPE_BENCH_CHILD=echo or count, with any parent) it echoes
// every message, or counts them until "done" and answers the count.
'use strict'
const { fork } = require('child_process')

const role = process.env.UVPIPE_BENCH_CHILD
if (role) {
  let count = 0
  process.on('message', (m) => {
    if (role === 'echo') { process.send(m); return }
    if (m === 'done') { process.send(count); count = 0; return }
    count++
  })
} else {
  parent().catch((err) => { console.error(err.stack); process.exit(1) })
}

async function parent () {
  const [, , kind, mode, nText] = process.argv
  const n = Number(nText)
  const child = fork(__filename, [], {
    serialization: mode,
    env: { ...process.env, UVPIPE_BENCH_CHILD: kind === 'pingpong' ? 'echo' : 'count' }
  })
  let waiter = null
  child.on('message', (m) => { const w = waiter; waiter = null; w(m) })
  const next = () => new Promise((resolve) => { waiter = resolve })
  const msg = { n: 1, s: 'ping' }
  const run = async (count) => {
    if (kind === 'pingpong') {
      for (let i = 0; i < count; i++) { child.send(msg); await next() }
      return
    }
    for (let i = 0; i < count; i++) child.send(msg)
    child.send('done')
    const got = await next()
    if (got !== count) throw new Error('child counted ' + got + ', want ' + count)
  }
  await run(Math.min(n, 1000)) // warm up
  const t0 = process.hrtime.bigint()
  await run(n)
  const ns = Number(process.hrtime.bigint() - t0) / n
  child.disconnect()
  console.log(JSON.stringify({ ns }))
}
