package bench

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestPercentile(t *testing.T) {
	hundred := make([]time.Duration, 100)
	for i := range hundred {
		hundred[i] = time.Duration(i + 1)
	}
	for _, c := range []struct {
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{nil, 50, 0},
		{[]time.Duration{7}, 50, 7},
		{[]time.Duration{7}, 99, 7},
		{[]time.Duration{1, 2}, 50, 1},
		{[]time.Duration{1, 2}, 51, 2},
		{[]time.Duration{1, 2, 3}, 50, 2},
		{hundred, 50, 50},
		{hundred, 99, 99},
		{hundred, 100, 100},
		{hundred, 0, 1},
		{hundred, 0.5, 1},
		{hundred, 150, 100},
	} {
		assert.Equal(t, c.want, Percentile(c.sorted, c.p), "p%v of %d values", c.p, len(c.sorted))
	}
}

func TestSummarize(t *testing.T) {
	assert.Equal(t, Latencies{}, Summarize(nil))
	sample := make([]time.Duration, 0, 200)
	for i := 200; i > 0; i-- {
		sample = append(sample, time.Duration(i)*time.Microsecond)
	}
	first := sample[0]
	got := Summarize(sample)
	assert.Equal(t, Latencies{N: 200, P50: 100 * time.Microsecond, P99: 198 * time.Microsecond, Max: 200 * time.Microsecond}, got)
	assert.Equal(t, first, sample[0], "the caller's sample is left in its order")
}
