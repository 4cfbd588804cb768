package wait

import (
	"runtime"
	"runtime/metrics"
)

// sched is what a leader asks the Go scheduler before it waits.
type sched struct {
	nprocs  int               // GOMAXPROCS as last read
	age     int               // waits since it was read, modulo procsEvery
	samples [2]metrics.Sample // runnable's and outside's, reused
}

// runnableMetric counts the goroutines waiting for a P; outsideMetric those
// in a system call or cgo call, each of which wants a P when it returns.
const (
	runnableMetric = "/sched/goroutines/runnable:goroutines"
	outsideMetric  = "/sched/goroutines/not-in-go:goroutines"
)

// procsEvery is how many waits trust the GOMAXPROCS last read: reading it
// takes the scheduler's lock. A program that changes it, or a runtime that
// adapts it to the CPUs it is given, is followed after that many waits.
const procsEvery = 1024

func (s *sched) init() {
	s.samples[0].Name = runnableMetric
	s.samples[1].Name = outsideMetric
}

// procs returns GOMAXPROCS, read again every procsEvery calls.
func (s *sched) procs() int {
	if s.age == 0 {
		s.nprocs = runtime.GOMAXPROCS(0)
	}
	s.age = (s.age + 1) % procsEvery
	return s.nprocs
}

// counts returns how many goroutines wait for a P, and how many are in a
// system call or cgo call, in one read of the runtime's metrics.
func (s *sched) counts() (runnable, outside uint64) {
	metrics.Read(s.samples[:])
	return sampleOr1(s.samples[0]), sampleOr1(s.samples[1])
}

// sampleOr1 is a goroutine count, or 1 from a runtime without the metric:
// assume someone waits.
func sampleOr1(s metrics.Sample) uint64 {
	if s.Value.Kind() != metrics.KindUint64 {
		return 1
	}
	return s.Value.Uint64()
}

// SchedCounts is what a leader would see of the scheduler before it waits:
// the goroutines waiting for a P, and those in a system call or cgo call.
func SchedCounts() (runnable, outside uint64) {
	var s sched
	s.init()
	return s.counts()
}
