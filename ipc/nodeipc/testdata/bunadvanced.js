// A Bun parent in advanced mode: Bun.spawn with serialization "advanced"
// starts the Go test binary (argv[2]) as the child named argv[3] and sends
// it one message. Bun's advanced mode is JavaScriptCore's format, which the
// Go child must refuse with an error saying to use json. Exits with the
// child's exit code.
'use strict'
const [, , bin, name] = process.argv

const child = Bun.spawn([bin, '-test.run=^$'], {
  stdio: ['inherit', 'inherit', 'inherit'],
  serialization: 'advanced',
  env: { ...process.env, UVPIPE_IPC_CHILD: name },
  ipc () {}
})
child.send({ hello: 'from bun' })
const timer = setTimeout(() => { console.error('bunadvanced.js: the Go child did not exit within 20 s'); child.kill(); process.exit(1) }, 20000)
child.exited.then((code) => {
  clearTimeout(timer)
  process.exit(code)
})
