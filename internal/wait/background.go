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

// Owner is what a background leader needs of the thing it leads (a uv
// loop, a Node channel's reading side). Busy, Lead and Ended are called with
// Lock held.
type Owner struct {
	Lock sync.Locker
	// Busy reports that another goroutine leads or waits for progress, or
	// that the owner is closing: the background leader then stays out.
	Busy func() bool
	// Lead makes progress until another goroutine needs the owner. It may
	// release Lock while it waits, and holds it again when it returns.
	Lead func()
	// Ended reports that the owner is finished: the background leader
	// looks no more.
	Ended func() bool
	// First is how long after the start the background leader first looks
	// (0: at once).
	First time.Duration
	// Manual leaves the owner without a background leader: Resume and Pause
	// then do nothing.
	Manual bool
}

// Background is the policy of a background leader: the goroutine that
// leads when no other goroutine needs progress, so that handlers, timers,
// posted functions and a peer's internal messages keep being served. All
// its methods but Quit, Wait and Stop are called with the owner's Lock held.
//
// Its timer is armed lazily: a goroutine that stops leading only counts a
// hand-over (Resume), and arms the timer only if it is not armed already.
// When the timer fires, the background goroutine leads if nobody has led or
// waited since it was armed; if a goroutine leads or waits now, it disarms
// (that goroutine resumes it when it stops); if one handed over since, it
// waits one more grace period. So it takes over between one and two grace
// periods after the last hand-over.
type Background struct {
	o     Owner
	timer *time.Timer
	quit  chan struct{}
	once  sync.Once
	last  func() // set by Quit before quit is closed
	done  chan struct{}
	// Under o.Lock.
	armed     bool   // the timer is set, or has fired and run has yet to look
	handovers uint64 // goroutines that stopped leading since the timer was set
}

// StartBackground starts the background leader of o.
func StartBackground(o Owner) *Background {
	b := &Background{o: o, timer: time.NewTimer(o.First), quit: make(chan struct{}), done: make(chan struct{}), armed: true}
	if o.Manual {
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

// Quit ends the background goroutine without waiting for it. Its last act,
// after any lead in progress has returned, is to call last (if not nil)
// without the lock held: an owner that must finish something once nobody
// leads does it there. Only the first call counts. Called without the lock.
func (b *Background) Quit(last func()) {
	b.once.Do(func() {
		b.timer.Stop()
		if b.o.Manual {
			if last != nil {
				last()
			}
			return
		}
		b.last = last
		close(b.quit)
	})
}

// Wait waits for the background goroutine to end (after Quit).
func (b *Background) Wait() { <-b.done }

// Stop ends the background goroutine and waits for it. Called without the
// lock.
func (b *Background) Stop() {
	b.Quit(nil)
	b.Wait()
}

func (b *Background) run() {
	defer close(b.done)
	defer func() {
		if b.last != nil {
			b.last()
		}
	}()
	for {
		select {
		case <-b.quit:
			return
		case <-b.timer.C:
		}
		b.o.Lock.Lock()
		switch {
		case b.o.Busy():
			b.armed = false // whoever leads or closes resumes it again
		case b.handovers > 0:
			b.handovers = 0 // handed over again since: a grace period more
			b.timer.Reset(Grace)
		default:
			b.armed = false
			b.o.Lead()
		}
		ended := b.o.Ended()
		b.o.Lock.Unlock()
		if ended {
			<-b.quit
			return
		}
	}
}
