// What parent.js (Node) and bunparent.js (Bun) share: failing with the
// scenario's label, an inbox of received messages, deep-equality checks,
// a 20 s time limit, and the values the ping-pong scenario sends.
'use strict'
const util = require('util')

module.exports = function harness (label) {
  const timer = setTimeout(() => { fail('timed out') }, 20000)
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
  return { timer, fail, deliver, next, expect, values }
}
