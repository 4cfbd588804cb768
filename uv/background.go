//go:build cgo

package uv

import "time"

// backgroundGrace is how long the loop may go without a leader after a
// goroutine stopped leading, before the background leader takes over. A
// goroutine that reads, handles what it read and reads again leads again well
// within it, so the background leader does not get in its way.
const backgroundGrace = 100 * time.Microsecond

// background is the goroutine that leads a loop when no other goroutine
// needs progress, so handlers, timers and posted functions keep running.
//
// Its timer is armed lazily: a goroutine that stops leading only counts a
// hand-over (resume), and arms the timer only if it is not armed already.
// When the timer fires, the background leader leads if nobody has led or
// waited since it was armed; if a goroutine leads or waits now, it disarms
// (that goroutine arms it again when it stops); if one handed over since, it
// waits one more grace period. So it takes over between one and two grace
// periods after the last hand-over. Stopping and resetting a timer at every
// Read cost 0.35–0.5 µs per round trip of a pinned ping-pong, and reading
// the clock at each hand-over 0.04 µs more. Only a leader that parks in Go's
// netpoller still stops it (hold).
type background struct {
	l     *Loop
	timer *time.Timer
	quit  chan struct{}
	done  chan struct{}
	// Under the loop lock.
	armed     bool   // the timer is set, or has fired and run has yet to look
	handovers uint64 // goroutines that stopped leading since the timer was set
}

func startBackground(l *Loop, manual bool) *background {
	b := &background{l: l, timer: time.NewTimer(0), quit: make(chan struct{}), done: make(chan struct{}), armed: true}
	if manual {
		b.timer.Stop()
		close(b.done)
		return b
	}
	go b.run()
	return b
}

// hold stops the timer while a goroutine leads. Only a leader that parks in
// Go's netpoller needs it: there, a pending timer costs the scheduler, at
// every park and wake, more than stopping it (a pinned ping-pong took 0.3 µs
// longer per round trip with the timer left armed), while a leader blocked
// in epoll_wait keeps its P and never meets the timer. Called with the loop
// lock held.
func (b *background) hold() {
	if b.armed {
		b.timer.Stop()
		b.armed = false
	}
}

// resume lets the background leader take over after the grace period.
// Called with the loop lock held.
func (b *background) resume() {
	if b.armed {
		b.handovers++
		return
	}
	b.armed = true
	b.handovers = 0
	b.timer.Reset(backgroundGrace)
}

func (b *background) stop() {
	b.timer.Stop()
	close(b.quit)
	<-b.done
}

func (b *background) run() {
	defer close(b.done)
	l := b.l
	for {
		select {
		case <-b.quit:
			return
		case <-b.timer.C:
		}
		l.mu.Lock()
		switch {
		case l.closed || l.closing || l.leader || l.waiting.n > 0:
			b.armed = false // whoever leads or closes hands over again
		case b.handovers > 0:
			// Handed over again since the timer was set: a grace period
			// more.
			b.handovers = 0
			b.timer.Reset(backgroundGrace)
		default:
			b.armed = false
			l.lead(func() bool { return false }, nil, true)
		}
		closed := l.closed
		l.mu.Unlock()
		if closed {
			<-b.quit
			return
		}
	}
}
