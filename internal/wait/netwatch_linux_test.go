//go:build linux && !uvpipe_portable

package wait

import (
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// The fd a poller watches for Go's netpoller is the runtime's epoll
// instance: a file registered with the netpoller after it was found is
// listed there.
func TestPollerFindsTheRuntimesNetpoller(t *testing.T) {
	p := newTestPoller(t, newBackend(t), Config{})
	require.GreaterOrEqual(t, p.netfd, 0, "the runtime's epoll fd was not found")
	r, w, err := os.Pipe() // registered with the netpoller by os
	require.NoError(t, err)
	defer r.Close()
	defer w.Close()
	rc, err := r.SyscallConn()
	require.NoError(t, err)
	var fd int
	require.NoError(t, rc.Control(func(f uintptr) { fd = int(f) }))
	var st unix.Stat_t
	require.NoError(t, unix.Fstat(fd, &st))
	assert.True(t, lists(p.netfd, fd, "ino:"+strconv.FormatUint(st.Ino, 16)), "a new pollable file is not in the found epoll instance")
}

// A spin, a held wait and (with one P) a blocking wait end when Go's
// netpoller has events to collect, and the leader breathes at once, however
// long the spin, the hold and the timed breath would otherwise last.
func TestWaitsEndForTheNetpoller(t *testing.T) {
	for _, tc := range []struct {
		name  string
		procs int
		c     Config
	}{
		{"spin", 2, Config{Spin: time.Hour, Hold: -1, Breath: time.Hour}},
		{"hold", 1, Config{Spin: -1, Hold: time.Hour, Breath: time.Hour}},
		{"block", 1, Config{Spin: -1, Hold: -1, Breath: time.Hour}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(tc.procs))
			if tc.procs > 1 && numCPU == 1 {
				t.Skip("a leader spins only with more than one CPU")
			}
			p := newTestPoller(t, newBackend(t), tc.c)
			if tc.name == "hold" && p.hold.noHold {
				t.Skip("no epoll_pwait2 on this kernel")
			}
			net := newBackend(t) // stands in for the runtime's epoll instance
			p.watchNetpoll(net.epfd)
			p.breath = time.Now() // no timed breath is due for an hour
			net.poke(t)
			ev := p.Wait(-1, time.Now().Add(time.Hour), false)
			assert.Equal(t, None, ev, "libuv's fd is not ready")
			s := p.Stats()
			assert.Equal(t, uint64(1), s.NetWakes)
			assert.Equal(t, uint64(1), s.Breaths, "the leader breathed for the netpoller")
			assert.False(t, p.netMuted.IsZero(), "events the breath left there mute the watch")
		})
	}
}

// A leader watches Go's netpoller only while it was seen busy lately: with
// nothing there, a wait does not watch it (and pays nothing for it).
func TestWaitsWatchTheNetpollerOnlyWhenBusy(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	p := newTestPoller(t, newBackend(t), Config{Spin: -1, Hold: -1, Breath: time.Hour})
	net := newBackend(t)
	p.watchNetpoll(net.epfd)
	p.breath = time.Now()
	assert.Equal(t, None, p.Wait(-1, time.Now().Add(time.Millisecond), false))
	assert.False(t, p.watchNet, "an idle netpoller was watched")

	net.poke(t)
	p.netLook = time.Time{} // due to look again
	assert.Equal(t, None, p.Wait(-1, time.Now().Add(time.Hour), false))
	assert.Equal(t, uint64(1), p.Stats().NetWakes, "a busy netpoller was not watched")
}
