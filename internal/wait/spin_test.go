package wait

import (
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// Spin returns true as soon as look holds, and gives up (false) when it
// never does; with one P it never polls.
func TestSpinPollsThenGivesUp(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	assert.False(t, Spin(time.Millisecond, 0, func() bool { return false }), "a condition that never held")
	calls := 0
	assert.True(t, Spin(time.Hour, 4, func() bool { calls++; return calls == 10 }))
	assert.Equal(t, 10, calls, "it stops at the first look that holds")
	calls = 0
	assert.False(t, Spin(-1, 0, func() bool { calls++; return true }), "no budget: no look")
	assert.Zero(t, calls)

	runtime.GOMAXPROCS(1)
	assert.False(t, Spin(time.Hour, 0, func() bool { calls++; return true }), "one P")
	assert.Zero(t, calls, "with GOMAXPROCS 1 it never polls")
}
