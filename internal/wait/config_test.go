package wait

import (
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestConfigResolvesItsBudgets(t *testing.T) {
	wantSpin, wantHold := DefaultSpin, DefaultHold
	if d, err := time.ParseDuration(os.Getenv("UVPIPE_SPIN")); err == nil {
		wantSpin = max(d, 0)
	}
	if d, err := time.ParseDuration(os.Getenv("UVPIPE_HOLD")); err == nil {
		wantHold = max(d, 0)
	}
	zero := Config{}.resolved()
	assert.Equal(t, wantSpin, zero.Spin, "zero: the default")
	assert.Equal(t, wantHold, zero.Hold, "zero: the default")
	c := Config{Spin: 5 * time.Millisecond, Hold: time.Second}.resolved()
	assert.Equal(t, 5*time.Millisecond, c.Spin)
	assert.Equal(t, time.Second, c.Hold)
	never := Config{Spin: -1, Hold: -1}.resolved()
	assert.Zero(t, never.Spin, "negative: never")
	assert.Zero(t, never.Hold, "negative: never")
}

func TestCapToTimeout(t *testing.T) {
	d, full := capToTimeout(50*time.Millisecond, -1)
	assert.Equal(t, 50*time.Millisecond, d)
	assert.True(t, full, "no timeout: the budget bounds")
	d, full = capToTimeout(50*time.Millisecond, 3)
	assert.Equal(t, 3*time.Millisecond, d)
	assert.False(t, full, "a sooner timeout bounds")
	assert.Equal(t, -1, untilMs(time.Time{}))
	assert.Zero(t, untilMs(time.Now().Add(-time.Second)), "a past deadline: just look")
}
