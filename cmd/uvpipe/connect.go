package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/uvpipe/uvpipe/pipe"
)

func init() {
	commands["connect"] = command{summary: "connect to a unix socket and bridge it to stdin/stdout", run: runConnect}
}

// runConnect is `uvpipe connect PATH`: nc -U on pipe.Dial.
func runConnect(args []string) error {
	f := newFlags("connect", "PATH", 1, 1, describe(`Connect to the unix socket PATH (a path, or @name
for an abstract socket on Linux) and bridge it to stdin and stdout as 'nc -U'
does: what comes on stdin is sent, and the end of stdin half-closes the socket;
what the peer sends goes to stdout, and the command exits once both
directions are done (or the peer has gone).`))
	ipc := f.Bool("ipc", false, "make the connection an IPC pipe and report each handle that arrives on stderr (then close it)")
	verbose := f.Bool("v", false, "report on stderr who is at the other end")
	operands, err := f.parse(args)
	if err != nil {
		return err
	}
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	p, err := pipe.Config{IPC: *ipc}.Dial(ctx, operands[0])
	cancel()
	if err != nil {
		return err
	}
	defer p.Close()
	if *verbose {
		reportPeer(p)
	}
	return bridge(p, stdEnds())
}
