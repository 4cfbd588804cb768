// Test peer for pipe/ (pipe/seedparity_test.go): bare-pipe's own behaviour
// where uvpipe matches it, run under the pinned bare.
//
//   bare pipe-ends-peer.js client <socket path>
//     Connects to the path with bare-pipe, writes 'hello from bare', ends,
//     reads to the end and prints {"connecting", "got"} as one JSON line on
//     stdout (connecting: the pipe's connecting right after connect()).
//
//   bare pipe-ends-peer.js ends
//     fd 3 is the write end of an OS pipe, fd 4 the read end of another (as
//     Pipe.pipe() returns them). Opens both with bare-pipe; writes 'hello
//     bare' to fd 3 and ends it; reads fd 4 to its end. Prints one JSON line:
//     {"w": {"state", "ended", "error"}, "r": {"state", "got", "writeError"}}:
//     the readyState of each right after opening, whether the write end
//     emitted 'end' (what reading from it gives), an error it emitted, what
//     the read end read, and what writing to the read end gave.
//
// Any failure goes to stderr and exits with status 1.
const Pipe = require('bare-pipe')

const [cmd, ...args] = Bare.argv.slice(2)

function fail(err) {
  console.error('pipe-ends-peer:', err && err.stack ? err.stack : err)
  Bare.exit(1)
}

function client(path) {
  const p = new Pipe()
  p.connect(path)
  const connecting = p.connecting
  let got = ''
  p.on('error', fail)
  p.on('data', (d) => {
    got += d
  })
  p.on('end', () => {
    console.log(JSON.stringify({ connecting, got }))
    p.end()
  })
  p.end('hello from bare')
}

function ends() {
  const w = new Pipe(3)
  const r = new Pipe(4)
  const out = {
    w: { state: w.readyState, ended: false, error: null },
    r: { state: r.readyState, got: '', writeError: 'none' }
  }
  let pending = 2
  const done = () => {
    if (--pending === 0) console.log(JSON.stringify(out))
  }
  w.on('error', (err) => {
    out.w.error = err.code
  })
  w.on('data', () => {})
  w.on('end', () => {
    out.w.ended = true
  })
  w.on('close', done)
  w.end('hello bare')
  r.on('error', fail)
  r.on('data', (d) => {
    out.r.got += d
  })
  r.on('close', done)
  r.write('into the read end', (err) => {
    out.r.writeError = err ? err.code || err.message : null
  })
}

if (cmd === 'client') client(...args)
else if (cmd === 'ends') ends()
else fail(new Error('unknown command ' + cmd))
