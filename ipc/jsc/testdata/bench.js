// Bun's side of the ipc/jsc benchmarks: for each line of stdin (the hex of
// a serialized value), it times bun:jsc's serialize and deserialize of that
// value, one after the other as one round, and prints {"ns": nanoseconds
// per round, "cpuNs": CPU nanoseconds of the process per round} on a line
// of its own (CPU time does not count the time other processes take the
// CPUs from this one).
//
//	bun bench.js < values.hex
'use strict'
const { serialize, deserialize } = require('bun:jsc')

const lines = require('fs').readFileSync(0, 'utf8').split('\n').filter((l) => l !== '')
for (const line of lines) {
  const value = deserialize(Buffer.from(line, 'hex'))
  const round = () => deserialize(serialize(value))
  const size = Buffer.from(line, 'hex').length
  const warm = size > 65536 ? 50 : 20000
  for (let i = 0; i < warm; i++) round()
  // As many rounds as fit in about a second.
  let n = warm
  let ns = 0
  let cpu = 0
  for (;;) {
    const c0 = process.cpuUsage()
    const t0 = process.hrtime.bigint()
    for (let i = 0; i < n; i++) round()
    ns = Number(process.hrtime.bigint() - t0)
    const c = process.cpuUsage(c0)
    cpu = (c.user + c.system) * 1000
    if (ns > 1e9) break
    n *= 2
  }
  console.log(JSON.stringify({ ns: ns / n, cpuNs: cpu / n }))
}
