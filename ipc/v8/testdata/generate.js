// Writes `count` framed messages of random values, made the way JavaScript
// programs make them, with Node's own child_process writer. Usage:
//   node --expose-internals generate.js <seed> <count>
// It keeps the rules under which V8's output depends on the value only: a
// property "i…" holds only small integers, "d…" only other numbers, no other
// property holds a number; arrays are built from JSON.parse('[]') (no
// allocation-site feedback), all-number arrays by push, mixed ones from an
// array that already holds an object.
'use strict';
const ser = require('internal/child_process/serialization');

let seed = Number(process.argv[2]) >>> 0;
const count = Number(process.argv[3]);
function rnd() { // mulberry32
  seed = (seed + 0x6D2B79F5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (n) => Math.floor(rnd() * n);
const pick = (a) => a[int(a.length)];

const smis = [0, 1, -1, 255, 2 ** 30, -(2 ** 31), 2 ** 31 - 1, 123456];
const doubles = [1.5, -0, NaN, Infinity, -Infinity, 2 ** 31, 2 ** 53, 5e-324, 0.1, -1e300];
const codes = [0x61, 0x7a, 0x20, 0xe9, 0xff, 0x3a9, 0x20ac, 0x4e2d, 0xd83d, 0xde00, 0xd800, 0xdfff, 0x0];
// `| 0` keeps a computed integer a Smi; optimized code may otherwise box it as a
// HeapNumber, which V8 writes as a double.
const smi = () => (rnd() < 0.5 ? pick(smis) : (int(2 ** 31) - int(2 ** 31)) | 0);
const dbl = () => (rnd() < 0.5 ? pick(doubles) : (int(1e6) + 0.25) * (rnd() < 0.5 ? 1e-5 : 1e5) + 0.5);
function str() {
  const n = int(8);
  const cs = [];
  for (let i = 0; i < n; i++) cs.push(pick(codes));
  if (rnd() < 0.1) for (let i = 0; i < 100; i++) cs.push(0x61 + int(26));
  return String.fromCharCode(...cs);
}
let keyN = 0;
function key(v) {
  keyN++;
  if (typeof v === 'number') return (Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31 && !Object.is(v, -0) ? 'i' : 'd') + keyN;
  return pick(['k', 'k', 'é', '€', '']) + keyN;
}
function prim() {
  switch (int(8)) {
    case 0: return null;
    case 1: return undefined;
    case 2: return rnd() < 0.5;
    case 3: return BigInt(int(2 ** 31)) ** BigInt(int(8)) * (rnd() < 0.5 ? -1n : 1n);
    case 4: return smi();
    case 5: return dbl();
    default: return str();
  }
}
function fillSmi(a, n, f) { for (let i = 0; i < n; i++) a.push(f()); }
function fillDouble(a, n, f) { for (let i = 0; i < n; i++) a.push(f()); }
function fillAny(a, n, f) { for (let i = 0; i < n; i++) a.push(f()); }
function nonNumber(d, made) { for (;;) { const v = value(d, made); if (typeof v !== 'number') return v; } }
const ctors = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array];
const errs = [Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError];
function bytes(n) { const b = Buffer.alloc(n); for (let i = 0; i < n; i++) b[i] = int(256); return b; }
function value(d, made) {
  if (d <= 0 || rnd() < 0.3) return prim();
  if (made.length > 0 && rnd() < 0.08) return pick(made);
  d--;
  let v;
  switch (int(13)) {
    case 0: case 1: {
      v = {};
      made.push(v);
      for (let i = int(5); i > 0; i--) {
        const x = rnd() < 0.25 ? smi() : rnd() < 0.3 ? dbl() : nonNumber(d, made);
        v[rnd() < 0.1 && typeof x !== 'number' ? String(int(50)) : key(x)] = x;
      }
      return v;
    }
    case 2: {
      // Every array starts with its final elements kind and each kind is
      // filled at its own call site, so no transition (and no optimized-code
      // generalization) changes how V8 holds the numbers.
      const kind = int(4);
      if (kind === 0) { v = JSON.parse('[]'); made.push(v); fillSmi(v, int(5), smi); }
      else if (kind === 1) { v = JSON.parse('[0.5]'); v.pop(); made.push(v); fillDouble(v, int(5), dbl); }
      else { v = JSON.parse('[{}]'); v.pop(); made.push(v); fillAny(v, 1, () => nonNumber(d, made)); fillAny(v, int(5), () => value(d, made)); }
      if (rnd() < 0.2) v['p' + keyN++] = str();
      return v;
    }
    case 3: {
      v = JSON.parse('[]');
      made.push(v);
      v.length = 2 + int(3000);
      for (let i = int(4); i > 0; i--) v[int(v.length - 1) + 1] = value(d, made);
      return v;
    }
    case 4: { v = new Map(); made.push(v); for (let i = int(4); i > 0; i--) v.set(rnd() < 0.5 ? str() : {}, value(d, made)); return v; }
    case 5: { v = new Set(); made.push(v); for (let i = int(4); i > 0; i--) v.add(value(d, made)); return v; }
    case 6: {
      const E = pick(errs);
      // The options object is in dictionary mode (no field representation),
      // and causes are never numbers: a cause read from a double field
      // would be written as a double.
      const options = Object.create(null);
      options.cause = nonNumber(d, made);
      v = rnd() < 0.5 ? new E('m' + str(), options) : new E('m' + str());
      if (rnd() < 0.5) delete v.stack;
      made.push(v);
      // A cause that refers back to its Error: V8 12 registers the Error
      // before reading its cause; V8 11 writes such bytes but cannot read them.
      if (rnd() < 0.1) v.cause = rnd() < 0.5 ? v : { e: v };
      return v;
    }
    case 7: { v = bytes(int(30)); if (rnd() < 0.5) v = v.subarray(int(v.length)); made.push(v); return v; }
    case 8: {
      const C = pick(ctors);
      const buf = bytes(8 * (2 + int(4))).buffer;
      v = rnd() < 0.3 ? new DataView(buf, 1, 3) : new C(buf, C.BYTES_PER_ELEMENT * int(2), int(2));
      made.push(v);
      return v;
    }
    case 9: return rnd() < 0.2 ? new Date(NaN) : new Date(int(2 ** 42) - 2 ** 41);
    case 10: return new RegExp('a' + int(9) + '[x-z]', pick(['', 'g', 'gi', 'dimsuy', 'v', 'sy']));
    case 11: return pick([() => new Number(dbl()), () => new String(str()), () => new Boolean(rnd() < 0.5), () => Object(-5n)])();
    default: { v = bytes(int(10)).buffer; made.push(v); return v; }
  }
}

const ch = {
  out: [],
  writeBuffer(req, buf) { this.out.push(buf); return 0; },
};
ser.advanced.initMessageChannel(ch);
for (let i = 0; i < count; i++) {
  ser.advanced.writeChannelMessage(ch, {}, value(1 + int(5), []), null);
}
process.stdout.write(Buffer.concat(ch.out));
