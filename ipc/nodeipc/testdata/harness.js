// What parent.js (Node) and bunparent.js (Bun) share: failing with the
// scenario's label, an inbox of received messages, deep-equality checks,
// a time limit (20 s, times UVPIPE_TEST_SCALE where the Go side runs slower:
// under Wine), the values the ping-pong scenario sends, and the
// scenarios that only exchange messages (pingpong, many).
'use strict'
const util = require('util')

module.exports = function harness (label) {
  const scale = Number(process.env.UVPIPE_TEST_SCALE) || 1
  const timer = setTimeout(() => { fail('timed out') }, 20000 * scale)
  function fail (why) {
    console.error(label + ': ' + why)
    process.exit(1)
  }
  const inbox = []
  let waiter = null
  function deliver (m) {
    if (waiter) { const w = waiter; waiter = null; w(m) } else inbox.push(m)
  }
  function next () {
    return new Promise((resolve) => {
      if (inbox.length) resolve(inbox.shift()); else waiter = resolve
    })
  }
  function expect (got, want, what) {
    if (!util.isDeepStrictEqual(got, want)) {
      fail(what + ': got ' + util.inspect(got) + ', want ' + util.inspect(want))
    }
  }
  const values = ['hi', 1, -1.5, 2 ** 31, null, true, false, '', 'é€😀\u2028',
    { a: 1, b: [1, 2, { c: 'd' }], 1: 'x' }, [], {}, [null, 'x'], 'a'.repeat(70000)]
  function messageScenarios (child) {
    return {
      async pingpong () {
        for (const v of values) {
          child.send(v)
          expect(await next(), v, 'echo of ' + util.inspect(v).slice(0, 40))
        }
        child.send('env')
        expect(await next(), { fd: '', mode: '' }, 'NODE_CHANNEL_ variables in the Go child')
      },
      async many () {
        const n = 10000
        for (let i = 0; i < n; i++) child.send({ i })
        for (let i = 0; i < n; i++) expect(await next(), { i }, 'message ' + i)
      }
    }
  }
  return { timer, fail, deliver, next, expect, values, messageScenarios }
}
