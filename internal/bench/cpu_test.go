//go:build !windows

package bench

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestProcessCPUGrows(t *testing.T) {
	before, self := ProcessCPU(), SelfCPU()
	assert.Positive(t, self, "a running test has used some CPU")
	deadline := time.Now().Add(time.Minute)
	x := 0
	for SelfCPU() == self && time.Now().Before(deadline) {
		x++
	}
	assert.Greater(t, ProcessCPU(), before, "busy work shows in the process's CPU time")
	_ = x
}
