package main

import (
	"fmt"
	"os"

	"github.com/uvpipe/uvpipe/pipe"
)

// reportHandle reports a handle that arrived on an IPC pipe on stderr, in one
// line, and closes it.
func reportHandle(h *pipe.ReceivedHandle) {
	fmt.Fprintf(os.Stderr, "uvpipe: received %s\n", describeHandle(h))
	h.Close()
}
