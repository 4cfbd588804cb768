package channel

import (
	"runtime"
	"time"
)

// spinBudget is how long a reader that finds its queue empty polls it
// before it parks. A reply between two threads on two CPUs comes in about a
// microsecond, far less than what parking costs: the writer's wake-up of a
// sleeping thread (a futex call, and in a VM an interrupt to another vCPU)
// and that thread's return from sleep. Go's runtime and adaptive mutexes
// spin likewise before they sleep. Past the budget the reader parks, so an
// idle reader costs at most this much CPU per wait.
const spinBudget = 20 * time.Microsecond

// canSpin is whether polling can pay: with a single P (GOMAXPROCS 1, as
// under taskset to one CPU) the writer cannot run while the reader polls.
// It is asked at each wait, so a program that changes GOMAXPROCS is followed.
func canSpin() bool { return runtime.GOMAXPROCS(0) > 1 }

// spin polls ready for up to spinBudget and reports whether it came true.
func spin(ready func() bool) bool {
	if !canSpin() {
		return false
	}
	var start time.Time
	for i := 0; ; i++ {
		if ready() {
			return true
		}
		switch {
		case i == 0:
			start = time.Now()
		case i%64 == 0 && time.Since(start) > spinBudget:
			return false
		}
	}
}
