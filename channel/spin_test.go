package channel

import (
	"runtime"
	"testing"
)

// spin returns true as soon as ready holds, and gives up (false) when it
// never does; with one P it never polls.
func TestSpinPollsThenGivesUp(t *testing.T) {
	if spin(func() bool { return false }) {
		t.Fatal("spin reported a condition that never held")
	}
	calls := 0
	got := spin(func() bool { calls++; return calls == 10 })
	if can := canSpin(); got != can || (can && calls != 10) {
		t.Fatalf("spin = %v after %d polls; canSpin %v", got, calls, can)
	}
	// With one P it never polls.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	calls = 0
	if spin(func() bool { calls++; return true }) || calls != 0 {
		t.Fatalf("with GOMAXPROCS 1 spin polled %d times", calls)
	}
}
