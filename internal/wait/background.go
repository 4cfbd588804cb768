package wait

import (
	"sync"
	"time"
)

// Grace is how long a loop may go without a leader after a goroutine
// stopped leading, before its background leader takes over. A goroutine
// that reads, handles what it read and reads again leads again well within
// it, so the background leader does not get in its way.
const Grace = 100 * time.Microsecond

// Background is the policy of a loop's background leader: the goroutine
// that leads when no other goroutine needs progress, so that handlers,
// timers and posted functions keep running. All its methods but Stop are
// called with the loop lock (Lock) held.
//
// Its timer is armed lazily: a goroutine that stops leading only counts a
// hand-over (Resume), and arms the timer only if it is not armed already.
// When the timer fires, the background goroutine leads if nobody has led or
// waited since it was armed; if a goroutine leads or waits now, it disarms
// (that goroutine resumes it when it stops); if one handed over since, it
// waits one more grace period. So it takes over between one and two grace
// periods after the last hand-over.
type Background struct {
	lock  sync.Locker
	busy  func() bool // under lock: a goroutine leads or follows, or the loop is closing
	lead  func()      // under lock: lead until another goroutine needs the loop
	ended func() bool // under lock: the loop is closed
	timer *time.Timer
	quit  chan struct{}
	done  chan struct{}
	// Under lock.
	armed     bool   // the timer is set, or has fired and run has yet to look
	handovers uint64 // goroutines that stopped leading since the timer was set
}

// StartBackground starts the background leader of a loop whose lock is
// lock. manual leaves the loop without one: Resume and Pause then do
// nothing.
func StartBackground(lock sync.Locker, busy func() bool, lead func(), ended func() bool, manual bool) *Background {
	b := &Background{lock: lock, busy: busy, lead: lead, ended: ended, timer: time.NewTimer(0), quit: make(chan struct{}), done: make(chan struct{}), armed: true}
	if manual {
		b.timer.Stop()
		close(b.done)
		return b
	}
	go b.run()
	return b
}

// Pause stops the timer while a goroutine leads. Only a leader that parks in
// Go's netpoller needs it: there a pending timer costs the scheduler at
// every park and wake, while a leader blocked in the kernel never meets it.
func (b *Background) Pause() {
	if b.armed {
		b.timer.Stop()
		b.armed = false
	}
}

// Resume lets the background goroutine take over after the grace period.
func (b *Background) Resume() {
	if b.armed {
		b.handovers++
		return
	}
	b.armed = true
	b.handovers = 0
	b.timer.Reset(Grace)
}

// Stop ends the background goroutine and waits for it. Called without the
// lock.
func (b *Background) Stop() {
	b.timer.Stop()
	close(b.quit)
	<-b.done
}

func (b *Background) run() {
	defer close(b.done)
	for {
		select {
		case <-b.quit:
			return
		case <-b.timer.C:
		}
		b.lock.Lock()
		switch {
		case b.busy():
			b.armed = false // whoever leads or closes resumes it again
		case b.handovers > 0:
			b.handovers = 0 // handed over again since: a grace period more
			b.timer.Reset(Grace)
		default:
			b.armed = false
			b.lead()
		}
		ended := b.ended()
		b.lock.Unlock()
		if ended {
			<-b.quit
			return
		}
	}
}
