// Benchmark peer: node testdata/bench.js <encode|decode> <message|buffer> <file>
// Times JSON.stringify or JSON.parse of the same value the Go benchmark uses
// (the file holds its JSON; "buffer" means a 1 MiB Buffer) and prints
// messages per second.
'use strict';
const fs = require('fs');
const [op, kind, file] = process.argv.slice(2);
let value;
if (kind === 'buffer') {
  value = Buffer.alloc(1 << 20);
  for (let i = 0; i < value.length; i++) value[i] = (i * 7) & 0xff;
} else {
  value = JSON.parse(fs.readFileSync(file, 'utf8'));
}
const text = JSON.stringify(value);
let sink = 0;
const step = op === 'encode'
  ? () => { sink += JSON.stringify(value).length; }
  : () => { sink += JSON.parse(text) === null ? 0 : 1; };
function run(ms) {
  const end = process.hrtime.bigint() + BigInt(ms) * 1000000n;
  let n = 0;
  let now;
  do {
    for (let i = 0; i < 8; i++) step();
    n += 8;
    now = process.hrtime.bigint();
  } while (now < end);
  return n;
}
run(300); // warm up
const t0 = process.hrtime.bigint();
const n = run(1500);
const secs = Number(process.hrtime.bigint() - t0) / 1e9;
process.stdout.write(String(n / secs) + '\n');
if (sink < 0) console.log(sink);
