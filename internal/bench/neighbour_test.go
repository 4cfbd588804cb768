//go:build !windows

package bench

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Each condition runs in its host with the GOMAXPROCS asked for, the client
// makes exactly the GETs asked for, the host's two marks bound a window, and
// nothing but a ping-pong makes round trips in it.
func TestNeighbourMeasure(t *testing.T) {
	for _, procs := range []int{1, 2} {
		for _, cond := range Conditions {
			r, err := Neighbour{Procs: procs, Requests: 7}.Measure(testStarter(), cond)
			require.NoError(t, err, "%s with GOMAXPROCS %d", cond, procs)
			assert.Equal(t, cond, r.Condition)
			assert.Equal(t, procs, r.Procs)
			assert.Equal(t, 7, r.Latency.N, cond)
			assert.Positive(t, r.Latency.P50, cond)
			assert.GreaterOrEqual(t, r.Latency.P99, r.Latency.P50, cond)
			assert.Positive(t, r.Wall, cond)
			assert.GreaterOrEqual(t, r.CPU, time.Duration(0), cond)
			if cond == NoUvpipe || cond == IdlePipes {
				assert.Zero(t, r.Rounds, "%s makes no round trips", cond)
			}
		}
	}
}

// A host told of a condition it does not know says so, and Measure fails
// with that.
func TestNeighbourUnknownCondition(t *testing.T) {
	_, err := Neighbour{Requests: 3}.Measure(testStarter(), Condition("nonesuch"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no condition nonesuch")
}
