// uvpipe-msgport: the Bare side of uvpipe's bareipc.MessagePort, a module
// for Bare programs (see ipc/bareipc's documentation).
//
// A MessagePort sends and receives whole messages over a byte stream (a
// bare-ipc IPC stream, a bare-pipe Pipe, any duplex stream). Each message is
// framed as
//
//   uint32 length, big-endian | payload of that many bytes
//
// and the payload is bare-structured-clone's serializeWithTransfer form,
// encoded with compact-encoding (encoding 'structured-clone', the default:
// the wire version of the installed bare-structured-clone), or the text of
// JSON.stringify (encoding 'json').
//
//   const IPC = require('bare-ipc')
//   const MessagePort = require('./uvpipe-msgport')
//   const port = new MessagePort(new IPC({ incoming: 3, outgoing: 4 }))
//   port.on('message', (value) => port.send({ echo: value }))
//   port.on('end', () => port.end())
//
// Events: 'message' (value) for each message; 'messageerror' (err) for a
// message whose payload does not decode (the next one is read as usual);
// 'end' at a clean end of the stream between messages; 'error' (err) for a
// stream error or a broken frame (a length over maxMessageSize, the stream
// ending inside a message), after which the stream is destroyed; 'close'
// when the stream closes. A port is also an async iterable of its messages.
const EventEmitter = require('bare-events')
const clone = require('bare-structured-clone')
const c = require('compact-encoding')

const defaultMaxMessageSize = 64 * 1024 * 1024

module.exports = exports = class MessagePort extends EventEmitter {
  constructor(stream, opts = {}) {
    super()

    const { encoding = 'structured-clone', maxMessageSize = defaultMaxMessageSize } = opts
    if (encoding !== 'structured-clone' && encoding !== 'json') {
      throw new Error('uvpipe-msgport: unknown encoding ' + encoding)
    }

    this.stream = stream
    this.encoding = encoding
    this.maxMessageSize = maxMessageSize

    this._chunks = []
    this._buffered = 0
    this._broken = false

    stream.on('data', (chunk) => this._ondata(chunk))
    stream.on('end', () => this._onend())
    stream.on('error', (err) => this.emit('error', err))
    stream.on('close', () => this.emit('close'))
  }

  // encode returns the frame of value: its length and its payload.
  encode(value) {
    const payload =
      this.encoding === 'json'
        ? Buffer.from(JSON.stringify(value))
        : Buffer.from(c.encode(clone, clone.serializeWithTransfer(value)))
    if (payload.byteLength > this.maxMessageSize) {
      throw new Error(
        `uvpipe-msgport: a message of ${payload.byteLength} bytes is over the limit of ${this.maxMessageSize}`
      )
    }
    const header = Buffer.alloc(4)
    header.writeUInt32BE(payload.byteLength, 0)
    return Buffer.concat([header, payload])
  }

  decode(payload) {
    if (this.encoding === 'json') return JSON.parse(payload.toString())
    return clone.deserializeWithTransfer(c.decode(clone, payload))
  }

  // send writes value as one message; cb, if given, runs once it is written.
  // A value that cannot be encoded throws.
  send(value, cb) {
    return this.stream.write(this.encode(value), cb)
  }

  // end ends this side: the other port reads the end after the messages.
  end() {
    this.stream.end()
  }

  destroy(err) {
    this.stream.destroy(err)
  }

  _ondata(chunk) {
    if (this._broken) return
    this._chunks.push(chunk)
    this._buffered += chunk.byteLength

    while (this._buffered >= 4) {
      const head = this._take(4, false)
      const n = head.readUInt32BE(0)
      if (n > this.maxMessageSize) {
        return this._break(
          new Error(`uvpipe-msgport: a message of ${n} bytes is over the limit of ${this.maxMessageSize}`)
        )
      }
      if (this._buffered < 4 + n) return
      this._take(4, true)
      const payload = this._take(n, true)
      let value
      try {
        value = this.decode(payload)
      } catch (err) {
        this.emit('messageerror', err)
        continue
      }
      this.emit('message', value)
    }
  }

  // _take returns the first n buffered bytes, removing them if consume.
  _take(n, consume) {
    const all = this._chunks.length === 1 ? this._chunks[0] : Buffer.concat(this._chunks)
    const out = all.subarray(0, n)
    if (consume) {
      const rest = all.subarray(n)
      this._chunks = rest.byteLength > 0 ? [rest] : []
      this._buffered = rest.byteLength
    } else {
      this._chunks = [all]
    }
    return out
  }

  _onend() {
    if (this._broken) return
    if (this._buffered > 0) {
      return this._break(new Error('uvpipe-msgport: the stream ended inside a message'))
    }
    this.emit('end')
  }

  _break(err) {
    this._broken = true
    this._chunks = []
    this._buffered = 0
    err.code = 'FRAME'
    this.emit('error', err)
    this.stream.destroy()
  }

  async *[Symbol.asyncIterator]() {
    const queue = []
    let wake = null
    let done = false
    let failure = null
    const notify = () => {
      if (wake) {
        const w = wake
        wake = null
        w()
      }
    }
    this.on('message', (v) => {
      queue.push(v)
      notify()
    })
    this.on('end', () => {
      done = true
      notify()
    })
    this.on('close', () => {
      done = true
      notify()
    })
    this.on('error', (err) => {
      failure = err
      notify()
    })
    while (true) {
      if (queue.length > 0) {
        yield queue.shift()
        continue
      }
      if (failure) throw failure
      if (done) return
      await new Promise((resolve) => {
        wake = resolve
      })
    }
  }
}

exports.MessagePort = exports
