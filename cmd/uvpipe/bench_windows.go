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
func runBench([]string) error {
	return fmt.Errorf("uvpipe bench: its measurements need unix socket pairs: %w", errors.ErrUnsupported)
}
