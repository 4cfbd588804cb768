//go:build linux && !uvpipe_portable

package wait

import (
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// backend is a stand-in for libuv's backend fd: an epoll instance watching
// the read end of a pipe, as libuv's watches its fds (level-triggered, the
// fd as the event's data).
type backend struct {
	epfd, r, w int
}

func newBackend(t *testing.T) *backend {
	t.Helper()
	epfd, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	require.NoError(t, err)
	var p [2]int
	require.NoError(t, unix.Pipe2(p[:], unix.O_CLOEXEC|unix.O_NONBLOCK))
	ev := unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(p[0])}
	require.NoError(t, unix.EpollCtl(epfd, unix.EPOLL_CTL_ADD, p[0], &ev))
	b := &backend{epfd: epfd, r: p[0], w: p[1]}
	t.Cleanup(func() { unix.Close(b.epfd); unix.Close(b.r); unix.Close(b.w) })
	return b
}

func (b *backend) poke(t *testing.T) {
	_, err := unix.Write(b.w, []byte{1})
	require.NoError(t, err)
}

func (b *backend) drain() {
	var buf [64]byte
	unix.Read(b.r, buf[:])
}

func newTestPoller(t *testing.T, b *backend, c Config) *Poller {
	t.Helper()
	p, err := NewPoller(b.epfd, c)
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, p.Close()) })
	return p
}

// A wait names the one fd that is ready, with its events; with nothing
// ready it ends at the timeout or the deadline.
func TestWaitReportsTheReadyFD(t *testing.T) {
	for _, c := range []Config{{Spin: -1, Hold: -1}, {Spin: time.Millisecond, Hold: time.Millisecond}, {Netpoller: true}} {
		b := newBackend(t)
		p := newTestPoller(t, b, c)
		b.poke(t)
		ev := p.Wait(-1, time.Time{}, false)
		if !c.Netpoller {
			assert.Equal(t, b.r, ev.FD, "%+v", c)
			assert.NotZero(t, ev.Events&unix.EPOLLIN)
		} else {
			assert.Equal(t, None, ev, "a netpoller wait cannot name the fd")
		}
		b.drain()
		assert.Equal(t, None, p.Wait(1, time.Time{}, false), "libuv's timeout")
		assert.Equal(t, None, p.Wait(-1, time.Now().Add(time.Millisecond), true), "the caller's deadline")
		assert.Equal(t, None, p.Wait(0, time.Time{}, false), "a zero timeout returns at once")
	}
}

// With more than one P, an event that comes during the spin ends the wait
// there; with the spin off, every wait blocks.
func TestSpinCatchesWhatComesMeanwhile(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	for _, spin := range []time.Duration{time.Hour, -1} {
		b := newBackend(t)
		p := newTestPoller(t, b, Config{Spin: spin, Hold: -1})
		for range 20 {
			done := make(chan struct{})
			go func() { defer close(done); b.poke(t) }()
			assert.Equal(t, b.r, p.Wait(-1, time.Time{}, false).FD)
			<-done
			b.drain()
		}
		s := p.Stats()
		if spin > 0 {
			assert.Equal(t, uint64(20), s.SpinHits, "an hour's spin outlasts every answer")
			assert.Zero(t, s.Blocked)
		} else {
			assert.Zero(t, s.SpinHits)
			assert.Equal(t, uint64(20), s.Blocked)
		}
	}
}

// With one P, a wait may hold the P; holds that run out with nothing come
// make later waits skip holding, ever more of them.
func TestHoldsBackOffWhenNothingComes(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	b := newBackend(t)
	p := newTestPoller(t, b, Config{Spin: -1, Hold: time.Millisecond, Breath: -1})
	if p.hold.noHold {
		t.Skip("no epoll_pwait2 on this kernel")
	}
	const waits = 40
	for range waits {
		// The deadline is past the hold, so that a hold that runs out
		// counts as one that nothing came to.
		p.Wait(-1, time.Now().Add(3*time.Millisecond), false)
	}
	s := p.Stats()
	require.NotZero(t, s.Holds, "nothing in the process wants the P: waits hold")
	assert.Zero(t, s.HoldHits)
	assert.Less(t, s.Holds, uint64(waits/2), "held waits back off")
}

// With one P, a leader lets the scheduler poll the network once the last
// time is Config.Breath ago, even while libuv's fd is ready, and then waits
// as usual. (An hour's breath: on a loaded machine two waits in a row may be
// further apart than the default.)
func TestOneLeaderLetsTheSchedulerPollNow(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	b := newBackend(t)
	p := newTestPoller(t, b, Config{Spin: -1, Hold: -1, Breath: time.Hour})
	b.poke(t)
	assert.Equal(t, b.r, p.Wait(-1, time.Time{}, false).FD)
	assert.Equal(t, uint64(1), p.Stats().Breaths, "the first wait is due")
	assert.Equal(t, b.r, p.Wait(-1, time.Time{}, false).FD)
	assert.Equal(t, uint64(1), p.Stats().Breaths, "not due yet")
	p.breath = time.Now().Add(-time.Hour)
	assert.Equal(t, b.r, p.Wait(-1, time.Time{}, false).FD)
	assert.Equal(t, uint64(2), p.Stats().Breaths)
	b.drain()
	p.breath = time.Now().Add(-time.Hour)
	assert.Equal(t, None, p.Wait(-1, time.Now().Add(time.Millisecond), false), "a wait ends at the deadline")
	assert.Equal(t, uint64(3), p.Stats().Breaths)

	runtime.GOMAXPROCS(2)
	p2 := newTestPoller(t, b, Config{Spin: -1, Hold: -1})
	p2.Wait(-1, time.Now().Add(time.Millisecond), false)
	assert.Zero(t, p2.Stats().Breaths, "with more Ps, idle Ps poll the network")
}
