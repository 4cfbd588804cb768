//go:build unix

package jsc

import (
	"syscall"
	"testing"
	"time"
)

// cpuNow is the CPU time this process has used (user and system, every
// thread: the garbage collector's too, as bun's count includes its own),
// from getrusage(RUSAGE_SELF).
func cpuNow(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
