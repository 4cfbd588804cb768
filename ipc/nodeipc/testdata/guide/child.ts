// The child.ts of Bun's guide "Spawn a child process and communicate using
// IPC", as the guide writes it.
process.send("Hello from child as string");
process.send({ message: "Hello from child as object" });

process.on("message", (message) => {
  // print message from parent
  console.log(message);
});
