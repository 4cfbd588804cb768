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
type background struct {
	l     *Loop
	timer *time.Timer
	quit  chan struct{}
	done  chan struct{}
}

func startBackground(l *Loop, manual bool) *background {
	b := &background{l: l, timer: time.NewTimer(0), quit: make(chan struct{}), done: make(chan struct{})}
	if manual {
		b.timer.Stop()
		close(b.done)
		return b
	}
	go b.run()
	return b
}

// hold keeps the background leader asleep while a goroutine leads.
func (b *background) hold() { b.timer.Stop() }

// resume lets the background leader take over after the grace period.
func (b *background) resume() { b.timer.Reset(backgroundGrace) }

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
		if !l.closed && !l.closing && !l.leader && l.followers == 0 {
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
