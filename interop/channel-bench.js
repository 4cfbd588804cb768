// bare-channel between two Bare threads, timed for uvpipe's channel
// benchmarks (channel/bench_test.go runs it with the pinned bare and reports
// these numbers beside its own):
//
//   bare channel-bench.js [rounds] [values]
//
// The main thread starts a Bare.Thread peer running this same file, which
// connects the other end of the channel. The values are numbers (0, 1, 2…),
// as uvpipe's benchmarks write ints. Four runs, one JSON line on stdout with
// nanoseconds per value or round trip:
//   pingpong      main writes a value and awaits it back; the peer echoes
//                 (async read/write, the event style) — rounds round trips
//   pingpongSync  the same with writeSync/readSync on both sides (threads
//                 blocking on the channel's condition variables)
//   stream        main writes values numbers with await write; the peer
//                 reads them with await read and answers once at the end
//   streamSync    the same with writeSync/readSync
const Channel = require('bare-channel')
const hrtime = require('bare-hrtime')

const MODES = ['pingpong', 'pingpongSync', 'stream', 'streamSync']

function now() {
  return hrtime.bigint()
}

async function peer({ handle, mode, count }) {
  const port = Channel.from(handle).connect()
  switch (mode) {
    case 'pingpong':
      for await (const v of port) await port.write(v)
      break
    case 'pingpongSync':
      for (const v of port) port.writeSync(v)
      break
    case 'stream':
      for (let i = 0; i < count; i++) {
        if ((await port.read()) !== i) throw new Error('stream out of order at ' + i)
      }
      await port.write(count)
      break
    case 'streamSync':
      for (let i = 0; i < count; i++) {
        if (port.readSync() !== i) throw new Error('stream out of order at ' + i)
      }
      port.writeSync(count)
      break
  }
  await port.close()
}

async function run(mode, count) {
  const channel = new Channel()
  const thread = new Bare.Thread(__filename, { data: { handle: channel.handle, mode, count } })
  const port = channel.connect()
  let start
  switch (mode) {
    case 'pingpong':
      await port.write(-1) // the peer is up
      await port.read()
      start = now()
      for (let i = 0; i < count; i++) {
        await port.write(i)
        if ((await port.read()) !== i) throw new Error('echo out of order at ' + i)
      }
      break
    case 'pingpongSync':
      port.writeSync(-1)
      port.readSync()
      start = now()
      for (let i = 0; i < count; i++) {
        port.writeSync(i)
        if (port.readSync() !== i) throw new Error('echo out of order at ' + i)
      }
      break
    case 'stream':
      start = now()
      for (let i = 0; i < count; i++) await port.write(i)
      if ((await port.read()) !== count) throw new Error('stream not acknowledged')
      break
    case 'streamSync':
      start = now()
      for (let i = 0; i < count; i++) port.writeSync(i)
      if (port.readSync() !== count) throw new Error('stream not acknowledged')
      break
  }
  const ns = Number(now() - start) / count
  await port.close()
  thread.join()
  return ns
}

async function main() {
  const rounds = Number(Bare.argv[2] || 20000)
  const values = Number(Bare.argv[3] || 200000)
  const out = { bare: Bare.version, rounds, values }
  for (const mode of MODES) {
    out[mode + 'Ns'] = await run(mode, mode.startsWith('pingpong') ? rounds : values)
  }
  console.log(JSON.stringify(out))
}

if (Bare.Thread.isMainThread) {
  main()
} else {
  peer(Bare.Thread.self.data)
}
