// The parent.ts of Bun's guide "Spawn a child process and communicate using
// IPC", as the guide writes it, with one change: the command is the program
// named by argv[2] (the Go test binary) instead of ["bun", "child.ts"]. The
// serialization is Bun.spawn's default, advanced.
const childProc = Bun.spawn([process.argv[2]], {
  ipc(message, childProc) {
    /**
     * The message received from the sub process
     **/
    childProc.send("Respond to child")
  },
});

childProc.send("I am your father"); // The parent can send messages to the child as well
