// Reads framed V8 messages on stdin with Node's own child_process "advanced"
// parser, rebuilds each value as a JavaScript program would have made it, and
// writes it back with Node's own child_process writer. Run with
// --expose-internals (the test does).
'use strict';
const ser = require('internal/child_process/serialization');

const input = {};
ser.advanced.initMessageChannel(input);
let out = [];
const output = { writeBuffer(req, buf) { out.push(buf); return 0; } };
ser.advanced.initMessageChannel(output);

const isIndex = (k) => /^(0|[1-9][0-9]*)$/.test(k) && Number(k) < 4294967295;

const isSmi = (x) => Number.isInteger(x) && x >= -(2 ** 31) && x < 2 ** 31 && !Object.is(x, -0);
function fillSmi(a, xs) { for (const x of xs) a.push(x); }
function fillDouble(a, xs) { for (const x of xs) a.push(x); }
function fillAny(a, xs) { for (const x of xs) a.push(x); }

// canon rebuilds what V8's deserializer makes differently from a program:
// dense arrays come back with HOLEY elements (which V8 would write sparse),
// so they are rebuilt by pushing, as a literal or a loop would build them.
function canon(v, memo) {
  if (v === null || typeof v !== 'object') return v;
  if (memo.has(v)) return memo.get(v);
  if (Array.isArray(v)) {
    let holey = false;
    for (let i = 0; i < v.length; i++) if (!(i in v)) { holey = true; break; }
    if (holey) {
      memo.set(v, v);
      for (const k of Object.keys(v)) { const c = canon(v[k], memo); if (c !== v[k]) v[k] = c; }
      return v;
    }
    // JSON.parse, not a literal (a literal's allocation site remembers
    // earlier transitions), started at the final elements kind and filled at
    // a call site of its own, so that no transition or optimized-code
    // generalization changes how V8 holds the numbers.
    let a;
    if (v.every((x) => typeof x === 'number')) {
      if (v.every(isSmi)) { a = JSON.parse('[]'); fillSmi(a, v); } else { a = JSON.parse('[0.5]'); a.pop(); fillDouble(a, v); }
      memo.set(v, a);
    } else {
      a = JSON.parse('[{}]');
      a.pop();
      memo.set(v, a);
      fillAny(a, v.map((x) => canon(x, memo)));
    }
    for (const k of Object.keys(v)) if (!isIndex(k)) a[k] = canon(v[k], memo);
    return a;
  }
  if (v instanceof Map) {
    const m = new Map();
    memo.set(v, m);
    for (const [k, x] of v) m.set(canon(k, memo), canon(x, memo));
    return m;
  }
  if (v instanceof Set) {
    const s = new Set();
    memo.set(v, s);
    for (const x of v) s.add(canon(x, memo));
    return s;
  }
  memo.set(v, v);
  if (v instanceof Error) {
    if (Object.prototype.hasOwnProperty.call(v, 'cause')) {
      const c = canon(v.cause, memo);
      if (c !== v.cause) v.cause = c;
    }
    return v;
  }
  if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer || v instanceof Date || v instanceof RegExp ||
      v instanceof Number || v instanceof String || v instanceof Boolean || v instanceof BigInt) {
    return v;
  }
  for (const k of Object.keys(v)) { const c = canon(v[k], memo); if (c !== v[k]) v[k] = c; }
  return v;
}

process.stdin.on('data', (chunk) => {
  for (const msg of ser.advanced.parseChannelMessages(input, chunk)) {
    ser.advanced.writeChannelMessage(output, {}, canon(msg, new Map()), null);
  }
  if (out.length > 0) {
    process.stdout.write(Buffer.concat(out));
    out = [];
  }
});
