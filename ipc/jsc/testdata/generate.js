// Writes bun-vectors.tsv: one line per JavaScript expression, a tab, and the
// bytes Bun's JavaScriptCore serializes its value to (bun:jsc's serialize,
// the same bytes Bun's advanced IPC sends after its 5-byte frame header).
// Usage, from this directory:
//   bun generate.js > bun-vectors.tsv
// Each expression is evaluated by indirect eval with a fixed sourceURL, so
// that Errors carry the same source URL, line and column wherever it runs.
const { serialize } = require('bun:jsc');

const exprs = `
undefined
null
true
false
0
1
-1
2
2**31-1
-(2**31)
2**31
1.5
-0
NaN
Infinity
-Infinity
5e-324
""
"hi"
"é"
"€"
"😀"
"\\ud800"
"a\\u0000b"
"x".repeat(300)
({})
({a:1,b:"hi"})
({"1":"a",b:2,"0":3})
({"":1})
({a:{b:{c:[]}}})
({a:"hi",b:"hi",c:"hi"})
({"€":"€",k:"€"})
[]
[1,2,3]
[1,,3]
[,]
(()=>{const a=[];a[5]=1;return a})()
new Array(3)
Object.assign([1,2],{k:"v"})
Object.assign([,2],{k:1})
[undefined,null]
(()=>{const o={x:1};return {p:o,q:o}})()
(()=>{const o={};o.self=o;return o})()
(()=>{const a=[];a.push(a);return a})()
(()=>{const a=[1];a[3]=a;return a})()
Array.from({length:300},(_,i)=>"s"+i).concat(["s0","s299"])
(()=>{const os=Array.from({length:300},()=>({}));return [os,os[0],os[299]]})()
new Date(0)
new Date(1700000000123)
new Date(-1)
new Date(NaN)
new Date(8.64e15)
/ab/
/ab/gimsuy
/a/dv
/[/]\\//g
new Map()
new Map([[1,"x"],["k",{}]])
new Set()
new Set(["y",1,null])
(()=>{const m=new Map();m.set(m,m);return m})()
new ArrayBuffer(0)
new ArrayBuffer(4)
new Uint8Array([1,2,3,4,5,6,7,8]).buffer
new Uint8Array([1,2])
new Uint8Array(0)
new Int8Array([-1])
new Uint8ClampedArray([255])
new Int16Array([-2])
new Uint16Array([65535])
new Int32Array([-3])
new Uint32Array([4e9])
new Float16Array([1.5])
new Float32Array([0.5])
new Float64Array([Math.PI])
new BigInt64Array([-1n])
new BigUint64Array([2n**64n-1n])
new DataView(new ArrayBuffer(3))
Buffer.from("hi")
(()=>{const b=new ArrayBuffer(8);return [new Uint8Array(b,2,2),new DataView(b),b]})()
(()=>{const b=new ArrayBuffer(8);return [b,new Uint16Array(b,2,2),new Float64Array(b)]})()
(()=>{const b=new ArrayBuffer(8);return [new Uint8Array(b,2,2),new DataView(b)]})()
new Uint8Array(new ArrayBuffer(8),2,4)
(()=>{const u=new Uint8Array([7]);return [u,u]})()
0n
1n
-1n
2n**64n
-(2n**64n)
2n**100n
12345678901234567890123n
new Number(2)
new Number(-0)
new Number(NaN)
new String("")
new String("s")
new Boolean(true)
new Boolean(false)
Object(5n)
Object(-(2n**70n))
(()=>{const n=new Number(1);return [n,n]})()
(()=>{const e=new Error("boom");e.stack="Error: boom\\n    at v";return e})()
(()=>{const e=new EvalError("e");e.stack="s";return e})()
(()=>{const e=new RangeError("r");e.stack="s";return e})()
(()=>{const e=new ReferenceError("r");e.stack="s";return e})()
(()=>{const e=new SyntaxError("s");e.stack="s";return e})()
(()=>{const e=new TypeError("t");e.stack="s";return e})()
(()=>{const e=new URIError("u");e.stack="s";return e})()
(()=>{const e=new Error();delete e.stack;return e})()
(()=>{const e=new Error("c",{cause:1});delete e.stack;return e})()
(()=>{const e=new TypeError("x");e.stack="s";return {e,f:[e]}})()
({u:undefined,n:null,s:"",b:false,z:0})
[1.5,2]
[1,2.5,"a"]
JSON.parse('[1,2.5,\\"a\\"]')
(()=>{const d=new Date(0),r=/x/g,o={};return [d,r,o,d,r,o]})()
new Map([[-0,"z"]])
"\u20aca".slice(1)
new (class A{constructor(){this.z=1}})()
`.trim().split('\n');

const hex = (b) => Buffer.from(b).toString('hex').replace(/(..)(?!$)/g, '$1 ');
for (const e of exprs) {
  const v = (0, eval)('(' + e + ')\n//# sourceURL=vectors.js');
  process.stdout.write(e + '\t' + hex(serialize(v)) + '\n');
}
