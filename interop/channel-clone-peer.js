// Test peer for channel/ (channel/clone_test.go): what bare-channel does with
// the values it carries, run under the pinned bare. Both ends of one channel
// are connected in this thread. Prints one JSON line:
//   {"got", "nullWrite", "funcError", "next", "nested"}
// got: what the reader read of {n: 1, list: [1], nested: {s: "a"}} after the
// writer changed it (n = 2, list.push(2), nested.s = "b") once written;
// nullWrite: what write(null) returned; funcError: the error code of writing
// {f: function}; next: what the reader read after those two (the value
// written next, "after": nothing else was delivered); nested: whether two
// references to one object arrive as one object.
const Channel = require('bare-channel')

async function main() {
  const ch = new Channel()
  const a = ch.connect()
  const b = ch.connect()
  const shared = { s: 'shared' }
  const obj = { n: 1, list: [1], nested: { s: 'a' }, x: shared, y: shared }
  await a.write(obj)
  obj.n = 2
  obj.list.push(2)
  obj.nested.s = 'b'
  const nullWrite = await a.write(null)
  let funcError = null
  try {
    await a.write({ f: () => 1 })
  } catch (err) {
    funcError = err.code
  }
  await a.write('after')
  const got = await b.read()
  const next = await b.read()
  const nested = got.x === got.y
  delete got.x
  delete got.y
  console.log(JSON.stringify({ got, nullWrite, funcError, next, nested }))
  Bare.exit(0)
}

main().catch((err) => {
  console.error('channel-clone-peer:', err)
  Bare.exit(1)
})
