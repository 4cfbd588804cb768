package main

import (
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
	it := catchInterrupts()
	defer it.stop()
	p, err := pipe.Config{IPC: *ipc}.Dial(it.ctx, operands[0])
	if ierr := it.interrupted(); ierr != nil {
		if err == nil {
			p.Close()
		}
		return ierr
	}
	if err != nil {
		return err
	}
	defer p.Close()
	return bridgeStd(p, *verbose, it)
}
