//go:build !windows

package bench

import (
	"time"

	"golang.org/x/sys/unix"
)

// ProcessCPU is the user and system CPU time used so far by this process
// and by those of its children that have ended and been waited for
// (getrusage RUSAGE_SELF plus RUSAGE_CHILDREN). Its difference across a
// measurement that starts a peer and waits for it counts both processes.
func ProcessCPU() time.Duration { return rusage(unix.RUSAGE_SELF) + rusage(unix.RUSAGE_CHILDREN) }

// SelfCPU is the user and system CPU time used so far by this process
// alone, all its threads (getrusage RUSAGE_SELF).
func SelfCPU() time.Duration { return rusage(unix.RUSAGE_SELF) }

// rusage is the user plus system time getrusage reports for who; zero if
// the call fails.
func rusage(who int) time.Duration {
	var ru unix.Rusage
	if unix.Getrusage(who, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
