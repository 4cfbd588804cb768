// Test peer for ipc/jsc under Bun, driven over stdin/stdout, one request per
// line, fields separated by tabs:
//
//   S <expr>         ->  <hex of serialize(value of expr)>
//   R <hex>          ->  <hex of serialize(deserialize(hex))>
//   D <expr> <hex>   ->  ok, when deserializing hex gives a value that
//                        describes as deserialize(serialize(value of expr))
//                        does; else: diff <bun's own> <from hex>
//
// An exception answers "E <message>". Expressions are evaluated as in
// generate.js.
const { serialize, deserialize } = require('bun:jsc');

const evaluate = (e) => (0, eval)('(' + e + ')\n//# sourceURL=vectors.js');
const toHex = (b) => Buffer.from(b).toString('hex');

// describe writes a value as a canonical string: types, contents, property
// order, and identity (an object met again is #n), so two values describe
// alike when a program could not tell them apart, apart from the position
// (line, column, source URL) JavaScriptCore records for an Error.
function describe(v, ids = new Map()) {
  switch (typeof v) {
    case 'undefined': return 'undefined';
    case 'boolean': return String(v);
    case 'number': return Object.is(v, -0) ? '-0' : String(v);
    case 'bigint': return v + 'n';
    case 'string': return JSON.stringify(v);
  }
  if (v === null) return 'null';
  if (ids.has(v)) return '#' + ids.get(v);
  const id = ids.size;
  ids.set(v, id);
  const d = (x) => describe(x, ids);
  const props = (o, skip) => Object.keys(o).filter((k) => !skip(k)).map((k) => JSON.stringify(k) + ':' + d(o[k])).join(',');
  const isIndex = (k) => String(k >>> 0) === k && k >>> 0 !== 4294967295;
  let s;
  if (Array.isArray(v)) {
    const el = [];
    for (let i = 0; i < v.length; i++) el.push(i in v ? d(v[i]) : '_');
    s = 'Array(' + v.length + ')[' + el.join(',') + ']{' + props(v, isIndex) + '}';
  } else if (v instanceof Map) {
    s = 'Map{' + [...v].map(([k, x]) => d(k) + '=>' + d(x)).join(',') + '}';
  } else if (v instanceof Set) {
    s = 'Set{' + [...v].map(d).join(',') + '}';
  } else if (v instanceof Date) {
    s = 'Date(' + v.getTime() + ')';
  } else if (v instanceof RegExp) {
    s = 'RegExp(' + v.source + ',' + v.flags + ')';
  } else if (v instanceof ArrayBuffer) {
    s = 'ArrayBuffer(' + toHex(new Uint8Array(v)) + ')';
  } else if (ArrayBuffer.isView(v)) {
    s = v.constructor.name + '(' + v.byteOffset + ',' + v.byteLength + ' of ' + d(v.buffer) + ')';
  } else if (v instanceof Error) {
    s = v.name + '(' + JSON.stringify(v.message) + ',' + (Object.hasOwn(v, 'stack') ? JSON.stringify(v.stack) : 'nostack') + ')';
  } else if (v instanceof Number || v instanceof String || v instanceof Boolean || v instanceof BigInt) {
    s = v.constructor.name + '(' + d(v.valueOf()) + ')';
  } else {
    s = Object.getPrototypeOf(v) === Object.prototype ? '{' + props(v, () => false) + '}' : 'other ' + Object.prototype.toString.call(v);
  }
  return '<' + id + '>' + s;
}

for await (const line of console) {
  const f = line.split('\t');
  try {
    if (f[0] === 'S') {
      console.log(toHex(serialize(evaluate(f[1]))));
    } else if (f[0] === 'R') {
      console.log(toHex(serialize(deserialize(Buffer.from(f[1], 'hex')))));
    } else if (f[0] === 'D') {
      const own = describe(deserialize(serialize(evaluate(f[1]))));
      const got = describe(deserialize(Buffer.from(f[2], 'hex')));
      console.log(own === got ? 'ok' : 'diff\t' + own + '\t' + got);
    } else {
      console.log('E\tunknown request ' + f[0]);
    }
  } catch (e) {
    console.log('E\t' + String(e && e.message).replace(/\s+/g, ' '));
  }
}
