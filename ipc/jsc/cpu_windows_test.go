package jsc

import (
	"syscall"
	"testing"
	"time"
)

// cpuNow is the CPU time this process has used (user and system, every
// thread: the garbage collector's too, as bun's count includes its own),
// from GetProcessTimes, whose kernel and user times count 100 ns units.
func cpuNow(b *testing.B) time.Duration {
	var creation, exit, kernel, user syscall.Filetime
	self, err := syscall.GetCurrentProcess()
	if err != nil {
		b.Fatal(err)
	}
	if err := syscall.GetProcessTimes(self, &creation, &exit, &kernel, &user); err != nil {
		b.Fatal(err)
	}
	return time.Duration((filetimeUnits(kernel) + filetimeUnits(user)) * 100)
}

// filetimeUnits is a FILETIME read as the count of 100 ns units it holds
// (a duration here, not a date: Filetime.Nanoseconds would subtract the
// 1601 epoch).
func filetimeUnits(f syscall.Filetime) int64 {
	return int64(f.HighDateTime)<<32 | int64(f.LowDateTime)
}
