//go:build unix

package nodeipc

import (
	"os"
	"strconv"
)

// parentRuntime is the runtime a child assumes for the peer of its channel
// fd when Options.Runtime is empty: Bun when the executable of the parent
// process, or of the process that made the socket pair (SO_PEERCRED: a Bun
// grandparent behind a shell or go run), is Bun's (read from /proc, so
// Linux only); else Node.
func parentRuntime(fd int) Runtime {
	pids := []int{os.Getppid()}
	if pid, ok := socketCreator(fd); ok && pid != pids[0] {
		pids = append(pids, pid)
	}
	for _, pid := range pids {
		exe, err := os.Readlink("/proc/" + strconv.Itoa(pid) + "/exe")
		if err == nil && isBunProgram(exe) {
			return Bun
		}
	}
	return Node
}
