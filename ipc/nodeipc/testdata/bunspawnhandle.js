// A Bun.spawn parent (default, advanced serialization) whose ipc callback
// is given a handle by the Go child (argv[2], child "sendhandle"): it
// answers what it got, and "ok-after" for the message queued behind the
// handle. Exits with the child's exit code.
'use strict'
const net = require('net')

const child = Bun.spawn([process.argv[2]], {
  stdio: ['inherit', 'inherit', 'inherit'],
  env: { ...process.env, UVPIPE_IPC_CHILD: 'sendhandle' },
  ipc (m, sub, handle) {
    if (handle) {
      sub.send({ got: m, server: handle instanceof net.Server })
      handle.close()
      return
    }
    sub.send('ok-' + m)
  }
})
const timer = setTimeout(() => { console.error('bunspawnhandle.js: the Go child did not exit within 20 s'); child.kill(); process.exit(1) }, 20000)
child.exited.then((code) => {
  clearTimeout(timer)
  process.exit(code)
})
