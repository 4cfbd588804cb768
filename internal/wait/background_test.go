package wait

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeLoop is what a Background needs of a loop: its lock, whether it is
// busy, and what leading means.
type fakeLoop struct {
	mu     sync.Mutex
	busy   bool
	ended  bool
	leads  int
	led    chan struct{}
	bg     *Background
	manual bool
}

func startFake(manual bool) *fakeLoop {
	f := &fakeLoop{led: make(chan struct{}, 16)}
	f.bg = StartBackground(Owner{
		Lock:   &f.mu,
		Busy:   func() bool { return f.busy },
		Lead:   func() { f.leads++; f.led <- struct{}{} },
		Ended:  func() bool { return f.ended },
		Manual: manual,
	})
	return f
}

// The background goroutine leads soon after it starts, and again after each
// hand-over; not while the loop is busy; never for a manual loop.
func TestBackgroundLeadsWhenNobodyElseDoes(t *testing.T) {
	f := startFake(false)
	defer f.bg.Stop()
	waitLed(t, f)
	f.mu.Lock()
	f.bg.Resume()
	f.mu.Unlock()
	waitLed(t, f)

	// Busy when the timer fires: it disarms, and leads only after the next
	// hand-over.
	f.mu.Lock()
	f.busy = true
	f.bg.Resume()
	f.mu.Unlock()
	require.Eventually(t, func() bool {
		f.mu.Lock()
		defer f.mu.Unlock()
		return !f.bg.armed
	}, time.Minute, Grace, "the timer never fired")
	f.mu.Lock()
	assert.Equal(t, 2, f.leads, "no lead while busy")
	f.busy = false
	f.bg.Resume()
	f.mu.Unlock()
	waitLed(t, f)
}

func TestManualBackgroundNeverLeads(t *testing.T) {
	f := startFake(true)
	f.mu.Lock()
	f.bg.Resume()
	f.mu.Unlock()
	f.bg.Stop()
	assert.Zero(t, f.leads)
}

func waitLed(t *testing.T, f *fakeLoop) {
	t.Helper()
	select {
	case <-f.led:
	case <-time.After(time.Minute):
		t.Fatal("the background goroutine never led")
	}
}

// Quit's last function runs once, after a lead in progress has returned,
// without the lock; for a manual owner, at once.
func TestQuitRunsLastAfterTheLead(t *testing.T) {
	var mu sync.Mutex
	inLead := make(chan struct{})
	release := make(chan struct{})
	leading := false
	b := StartBackground(Owner{
		Lock: &mu,
		Busy: func() bool { return false },
		Lead: func() {
			leading = true
			mu.Unlock()
			close(inLead)
			<-release
			mu.Lock()
			leading = false
		},
		Ended: func() bool { return true },
	})
	<-inLead
	lastRan := make(chan bool, 2)
	b.Quit(func() {
		mu.Lock() // not held by the caller of last
		lastRan <- leading
		mu.Unlock()
	})
	b.Quit(func() { lastRan <- true }) // only the first Quit counts
	close(release)
	b.Wait()
	require.Len(t, lastRan, 1)
	assert.False(t, <-lastRan, "last ran while the lead was in progress")

	m := StartBackground(Owner{Lock: &mu, Manual: true})
	ran := false
	m.Quit(func() { ran = true })
	m.Wait()
	assert.True(t, ran, "a manual owner's last did not run")
}
