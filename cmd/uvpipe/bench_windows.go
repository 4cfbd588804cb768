package main

import (
	"errors"
	"fmt"
)

func init() {
	commands["bench"] = command{summary: "measure uvpipe beside raw syscalls, Go's net and the JS peers (not on Windows)", run: runBench}
}

// runBench fails on Windows: the measurements run between this process and
// a peer on a unix socket pair, with fd passing (package internal/bench).
// Its help is shown as any command's.
func runBench(args []string) error {
	f := newFlags("bench", "", 0, 0, describe(`Measure uvpipe beside raw syscalls, Go's net and the
JavaScript peers. Not on Windows: its measurements run between this process
and a peer over a unix socket pair, with fd passing, which Windows has no
counterpart of here; it fails with a one-line message.`))
	if _, err := f.parse(args); err != nil {
		return err
	}
	return fmt.Errorf("uvpipe bench: its measurements need unix socket pairs: %w", errors.ErrUnsupported)
}
