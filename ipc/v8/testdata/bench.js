// Measures Node's child_process "advanced" serializer on the values given as
// V8 payloads (hex, one per line on stdin): messages per second for
// serialize (as ChildProcessSerializer writes a message) and deserialize.
// Prints one JSON line per value: {"encode": rate, "decode": rate}.
'use strict';
const v8 = require('v8');

// Node's ChildProcessSerializer/Deserializer (lib/internal/child_process/serialization.js).
class Ser extends v8.DefaultSerializer {
  _writeHostObject(object) {
    if (ArrayBuffer.isView(object)) { this.writeUint32(0); return super._writeHostObject(object); }
    this.writeUint32(1);
    this.writeValue({ ...object });
  }
}
class Des extends v8.DefaultDeserializer {
  _readHostObject() {
    if (this.readUint32() === 0) return super._readHostObject();
    return this.readValue();
  }
}
function serialize(v) {
  const s = new Ser();
  s.writeHeader();
  s.writeValue(v);
  return s.releaseBuffer();
}
function deserialize(b) {
  const d = new Des(b);
  d.readHeader();
  return d.readValue();
}
function rate(f) {
  for (let i = 0; i < 200; i++) f();
  let n = 0;
  const t0 = process.hrtime.bigint();
  let t = t0;
  while (t - t0 < 1000000000n) {
    for (let i = 0; i < 50; i++) f();
    n += 50;
    t = process.hrtime.bigint();
  }
  return n / (Number(t - t0) / 1e9);
}
const lines = require('fs').readFileSync(0, 'utf8').split('\n').filter(Boolean);
for (const hex of lines) {
  const bytes = Buffer.from(hex, 'hex');
  const value = deserialize(bytes);
  console.log(JSON.stringify({ encode: rate(() => serialize(value)), decode: rate(() => deserialize(bytes)) }));
}
