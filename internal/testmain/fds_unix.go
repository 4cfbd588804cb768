//go:build !windows

package testmain

import (
	"fmt"
	"os"
)

// openFDs lists this process's open fds and what they refer to.
func openFDs() map[string]string {
	out := map[string]string{}
	d, err := os.Open("/proc/self/fd")
	if err != nil {
		return out
	}
	names, _ := d.Readdirnames(-1)
	self := fmt.Sprint(d.Fd())
	d.Close()
	for _, n := range names {
		if n == self {
			continue
		}
		target, _ := os.Readlink("/proc/self/fd/" + n)
		out[n] = target
	}
	return out
}
