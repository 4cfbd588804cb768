// A Bare pipe pair timed for `uvpipe bench` (cmd/uvpipe/bench_jsrows.go):
//
//   bare bench-bare-pipe.js echo
//     Echoes everything that arrives on fd 3 (a socket pair end) with
//     bare-pipe, until the other side ends it.
//
//   bare bench-bare-pipe.js pingpong <n>
//     Spawns itself as the echo with bare-subprocess, fd 3 a libuv-created
//     pipe, times n round trips of 64 bytes after 1000 untimed ones, and
//     prints {"ns": nanoseconds per round trip}.
//
// Any failure goes to stderr and exits with status 1.
const Pipe = require('bare-pipe')
const { spawn } = require('bare-subprocess')
const hrtime = require('bare-hrtime')

const SIZE = 64
const WARM = 1000
const [mode, nText] = Bare.argv.slice(2)

function fail (err) {
  console.error('bench-bare-pipe:', err && err.stack ? err.stack : err)
  Bare.exit(1)
}

if (mode === 'echo') {
  const p = new Pipe(3)
  p.on('error', fail)
  p.on('data', (d) => p.write(d))
  p.on('end', () => p.end())
} else if (mode === 'pingpong') {
  const n = Number(nText)
  const child = spawn(Bare.argv[0], [__filename, 'echo'], { stdio: ['ignore', 'inherit', 'inherit', 'pipe'] })
  const p = child.stdio[3]
  p.on('error', fail)
  const msg = Buffer.alloc(SIZE)
  let got = 0
  let rounds = 0
  let start = 0n
  p.on('data', (d) => {
    for (got += d.length; got >= SIZE; got -= SIZE) {
      rounds++
      if (rounds === WARM) start = hrtime.bigint()
      if (rounds === WARM + n) {
        const ns = Number(hrtime.bigint() - start) / n
        console.log(JSON.stringify({ ns }))
        p.end()
        return
      }
      p.write(msg)
    }
  })
  p.write(msg)
} else {
  fail('usage: bare bench-bare-pipe.js echo | pingpong <n>')
}
