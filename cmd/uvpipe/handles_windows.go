package main

import (
	"fmt"

	"github.com/uvpipe/uvpipe/pipe"
)

// describeHandle says what a received handle is: its libuv type, and
// whether it listens, as its kind tells ("a tcp handle (listening)").
func describeHandle(h *pipe.ReceivedHandle) string {
	k := h.Kind()
	what := fmt.Sprintf("a %s handle", k.Type())
	if k.IsListener() {
		return what + " (listening)"
	}
	return what
}
