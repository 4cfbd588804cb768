package main

import (
	"os"

	"github.com/uvpipe/uvpipe/pipe"
)

// watchHangup returns a channel that is never closed: a named pipe has no
// hangup to poll for apart from reading it, so on Windows the bridge waits
// for its input to end.
func watchHangup(*pipe.Pipe, <-chan struct{}) <-chan struct{} { return make(chan struct{}) }

// endStdout ends stdout for whoever reads it (they see EOF): the process's
// stdout becomes NUL and the old handle is closed.
func endStdout() {
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		return
	}
	old := os.Stdout
	os.Stdout = null
	old.Close()
}
