// A Bun parent for the ipc tests, in Bun's own API: Bun.spawn with an ipc
// callback and serialization "json" starts the Go test binary (argv[2]) as
// a child and runs one scenario (argv[3]) against it. Exits 0 when every
// check passed.
'use strict'

const [, , bin, scenario] = process.argv
const { timer, fail, deliver, next, expect, values, messageScenarios } = require('./harness.js')('bunparent.js ' + scenario)

const child = Bun.spawn([bin, '-test.run=^$'], {
  stdio: ['inherit', 'inherit', 'inherit'],
  serialization: 'json',
  env: { ...process.env, UVPIPE_IPC_CHILD: 'echo' },
  ipc (m) { deliver(m) }
})

const scenarios = {
  ...messageScenarios(child),
  async internal () {
    child.send({ cmd: 'NODE_TEST_INTERNAL', x: 1 })
    child.send('after')
    expect(await next(), 'after', 'message after an internal one')
    // Unlike Node, Bun.spawn's ipc callback is given objects whose cmd
    // starts NODE_ (Bun marks its own internal lines with 0x02 instead).
    child.send('internal')
    expect(await next(), { cmd: 'NODE_TEST_INTERNAL' }, 'the Go child\'s NODE_ message, as Bun delivers it')
    expect(await next(), 'after-internal', 'message after the Go child sent an internal one')
  }
}

async function main () {
  const run = scenarios[scenario]
  if (!run) fail('no scenario ' + scenario)
  await run()
  child.disconnect()
  const code = await child.exited
  if (code !== 0) fail('Go child exited with ' + code)
  clearTimeout(timer)
}
main().catch((err) => fail(err.stack))
