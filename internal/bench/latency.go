package bench

import (
	"math"
	"slices"
	"time"
)

// Latencies summarise a sample of durations: its size and its nearest-rank
// percentiles.
type Latencies struct {
	N   int
	P50 time.Duration
	P99 time.Duration
	Max time.Duration
}

// Summarize takes the percentiles of sample (which it does not modify). An
// empty sample gives the zero Latencies.
func Summarize(sample []time.Duration) Latencies {
	if len(sample) == 0 {
		return Latencies{}
	}
	s := slices.Clone(sample)
	slices.Sort(s)
	return Latencies{N: len(s), P50: Percentile(s, 50), P99: Percentile(s, 99), Max: s[len(s)-1]}
}

// Percentile is the nearest-rank p-th percentile (0 < p <= 100) of sorted,
// which is in ascending order: the smallest value that at least p percent
// of the sample is at or below. It is zero for an empty sample; p at or
// below 0 gives the smallest value.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	return sorted[min(max(rank, 1), len(sorted))-1]
}
