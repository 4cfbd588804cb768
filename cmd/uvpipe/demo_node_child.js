// The node child of `uvpipe demo` (embedded in the binary, run with node -e):
// it waits for a listening server sent over its IPC channel, greets each
// connection on it with a line and echoes it, says "ready", and closes the
// server and exits when the parent disconnects.
'use strict'
let server = null
process.on('message', (msg, handle) => {
  if (msg !== 'serve' || !handle) return
  server = handle
  server.on('connection', (socket) => {
    socket.setNoDelay(true)
    socket.write('hello from node ' + process.version + ' (pid ' + process.pid + '), serving the socket it was sent\n')
    socket.pipe(socket)
  })
  process.send({ ready: true, pid: process.pid, version: process.version })
})
process.on('disconnect', () => {
  if (server) server.close()
  process.exit(0)
})
