// Interop peer for the nodejson tests: reads requests on stdin, one a line,
// answers each on stdout, in order.
//   S <tagged value>  -> JSON.stringify of the rebuilt value, base64 of its UTF-8
//   P <base64 bytes>  -> the bytes decoded as Node's IPC channel does
//                        (StringDecoder), JSON.parse'd, described as tags
'use strict';
const { StringDecoder } = require('string_decoder');
const readline = require('readline');

const f64 = (h) => Buffer.from(h, 'hex').readDoubleBE(0);
const str = (cus) => { let s = ''; for (const c of cus) s += String.fromCharCode(c); return s; };
const cus = (s) => { const a = []; for (let i = 0; i < s.length; i++) a.push(s.charCodeAt(i)); return a; };
const hex = (n) => { const b = Buffer.alloc(8); b.writeDoubleBE(n); return b.toString('hex'); };
const define = (o, k, v) => Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });

function arrayBuffer(h) {
  const b = Buffer.from(h, 'hex');
  const ab = new ArrayBuffer(b.length);
  new Uint8Array(ab).set(b);
  return ab;
}

function rebuild(t) {
  switch (t[0]) {
    case 'z': return null;
    case 'u': return undefined;
    case 'b': return t[1] === 1;
    case 'n': return f64(t[1]);
    case 's': return str(t[1]);
    case 'I': return BigInt(t[1]);
    case 'a': case 'A': {
      const a = [];
      a.length = t[1].length;
      t[1].forEach((e, i) => { if (e[0] !== 'h') a[i] = rebuild(e); });
      if (t[0] === 'A') for (const [k, v] of t[2]) a[str(k)] = rebuild(v);
      return a;
    }
    case 'SA': {
      const a = [];
      a.length = t[1];
      for (const [i, v] of t[2]) a[i] = rebuild(v);
      return a;
    }
    case 'o': {
      const o = {};
      for (const [k, v] of t[1]) define(o, str(k), rebuild(v));
      return o;
    }
    case 'B': return Buffer.from(t[1]);
    case 'T': {
      const ab = arrayBuffer(t[2]);
      return t[1] === 'DataView' ? new DataView(ab) : new globalThis[t[1]](ab);
    }
    case 'D': return new Date(f64(t[1]));
    case 'R': return /a+b/gi;
    case 'M': return new Map([[1, 2]]);
    case 'S': return new Set([1, 'x']);
    case 'AB': return arrayBuffer(t[1]);
    case 'E': return new Error('boom', { cause: 1 });
    case 'X': return Object(rebuild(t[1]));
    case 'F': return function f() {};
  }
  throw new Error('unknown tag ' + t[0]);
}

function describe(v) {
  if (v === null) return ['z'];
  switch (typeof v) {
    case 'boolean': return ['b', v ? 1 : 0];
    case 'number': return ['n', hex(v)];
    case 'string': return ['s', cus(v)];
  }
  if (Array.isArray(v)) return ['a', v.map(describe)];
  return ['o', Object.keys(v).map((k) => [cus(k), describe(v[k])])];
}

const out = [];
const flush = () => { if (out.length) { process.stdout.write(out.join('')); out.length = 0; } };
const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
rl.on('line', (line) => {
  const kind = line.slice(0, 1);
  const rest = line.slice(2);
  let answer;
  try {
    if (kind === 'S') {
      const s = JSON.stringify(rebuild(JSON.parse(rest)));
      answer = s === undefined ? 'undef' : 'ok ' + Buffer.from(s, 'utf8').toString('base64');
    } else {
      const s = new StringDecoder('utf8').end(Buffer.from(rest, 'base64'));
      answer = 'ok ' + JSON.stringify(describe(JSON.parse(s)));
    }
  } catch (e) {
    answer = 'err ' + String(e.message).split('\n')[0];
  }
  out.push(answer + '\n');
  if (out.length >= 256) flush();
});
rl.on('close', flush);
