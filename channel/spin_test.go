package channel

import "testing"

// spin returns true as soon as ready holds, and gives up (false) when it
// never does; with one P it never polls.
func TestSpinPollsThenGivesUp(t *testing.T) {
	if spin(func() bool { return false }) {
		t.Fatal("spin reported a condition that never held")
	}
	calls := 0
	got := spin(func() bool { calls++; return calls == 10 })
	if got != canSpin || (canSpin && calls != 10) {
		t.Fatalf("spin = %v after %d polls; canSpin %v", got, calls, canSpin)
	}
}
