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
	f := newFlags("connect", "PATH", 1, 1, describe(`Connect to the unix socket PATH and bridge it to stdin
and stdout as 'nc -U' does.`+bridgeAbout))
	ipc, verbose := bridgeFlags(f, "who is at the other end")
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
