//go:build cgo

package uv_test

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"runtime"
	"runtime/pprof"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/uv"
	"github.com/uvpipe/uvpipe/uv/uvtest"
)

// crossLoopDeadline bounds the cross-loop tests: far beyond what they need,
// it only turns a deadlock into a failure with every goroutine's stack.
const crossLoopDeadline = 2 * time.Minute

// watchdog fails the test binary with all goroutines' stacks if stop is not
// called within crossLoopDeadline: two loops locked together cannot be
// closed, so the test could not end otherwise.
func watchdog(t *testing.T) (stop func()) {
	t.Helper()
	name := t.Name()
	done := make(chan struct{})
	go func() {
		select {
		case <-done:
		case <-time.After(crossLoopDeadline):
			var b bytes.Buffer
			pprof.Lookup("goroutine").WriteTo(&b, 2)
			os.Stderr.Write(b.Bytes())
			panic(name + ": no progress: deadlocked (goroutines above)")
		}
	}()
	return func() { close(done) }
}

// Do on another loop from inside a loop returns ErrWouldBlock without taking
// the other loop's lock, and the thread stays in its own loop: InLoop holds
// right after, and the loop's own methods go on working there. Over two
// loops from Do, and over three from handlers (posted functions).
func TestNestedDoKeepsTheCurrentLoop(t *testing.T) {
	a, b, c := uvtest.NewLoop(t), uvtest.NewLoop(t), uvtest.NewLoop(t)
	defer watchdog(t)()
	ranB := false
	require.NoError(t, a.Do(func() {
		err := b.Do(func() { ranB = true })
		assert.ErrorIs(t, err, uv.ErrWouldBlock)
		require.True(t, a.InLoop(), "still in a after b.Do returned")
		assert.False(t, b.InLoop())
		assert.Equal(t, 0, a.HandleCount(), "a's own methods still see the lock held")
		assert.NoError(t, a.Do(func() {}), "Do on a's own loop runs at once")
		assert.True(t, a.InLoop())
	}))
	assert.False(t, ranB)
	assert.False(t, a.InLoop())
	require.NoError(t, a.Do(func() {}), "a is usable afterwards")

	// a's handler → b.Do refused, b.Post → b's handler → c.Do refused,
	// c.Post → c's handler → a.Post: each step checks where it runs.
	done := make(chan struct{})
	var steps []string
	var mu sync.Mutex
	step := func(s string, here *uv.Loop, others ...*uv.Loop) {
		mu.Lock()
		steps = append(steps, s)
		mu.Unlock()
		assert.True(t, here.InLoop(), s)
		for _, o := range others {
			assert.False(t, o.InLoop(), s)
		}
	}
	require.NoError(t, a.Post(func() {
		assert.ErrorIs(t, b.Do(func() {}), uv.ErrWouldBlock)
		step("a", a, b, c)
		assert.NoError(t, b.Post(func() {
			assert.ErrorIs(t, c.Do(func() {}), uv.ErrWouldBlock)
			assert.ErrorIs(t, a.Do(func() {}), uv.ErrWouldBlock)
			step("b", b, a, c)
			assert.NoError(t, c.Post(func() {
				assert.ErrorIs(t, a.Do(func() {}), uv.ErrWouldBlock)
				step("c", c, a, b)
				assert.NoError(t, a.Post(func() {
					step("a again", a, b, c)
					close(done)
				}))
				step("c after", c, a, b)
			}))
			step("b after", b, a, c)
		}))
		step("a after", a, b, c)
	}))
	<-done
	mu.Lock()
	assert.Equal(t, []string{"a", "a after", "b", "b after", "c", "c after", "a again"}, steps)
	mu.Unlock()
}

// tokenRing makes bytes circulate between two loops in both directions at
// once: a handler of each loop writes every byte it reads, less one, to a
// pipe of the other loop, until it reaches 1. With the other loop's lock
// taken by a Write from inside a handler, both loops would stop, each
// holding its own lock and waiting for the other's.
func TestHandlersWriteToEachOthersLoop(t *testing.T) {
	la, lb := uvtest.NewLoop(t), uvtest.NewLoop(t)
	defer watchdog(t)()
	pA, pB := crossLoopPair(t, la, lb)
	qA, qB := crossLoopPair(t, la, lb)
	const tokens, ttl = 32, 200
	var finished atomic.Int64
	done := make(chan struct{})
	var werr atomic.Value
	forward := func(here *uv.Loop, to *uv.Pipe) func([]byte, error) {
		return func(data []byte, err error) {
			if err != nil {
				return
			}
			assert.True(t, here.InLoop())
			out := make([]byte, 0, len(data))
			for _, v := range data {
				if v > 1 {
					out = append(out, v-1)
				} else if finished.Add(1) == 2*tokens {
					close(done)
				}
			}
			if len(out) > 0 {
				n, err := to.Write(out)
				if err != nil {
					werr.Store(err)
				} else if n != len(out) {
					werr.Store(fmt.Errorf("wrote %d of %d", n, len(out)))
				}
			}
			assert.True(t, here.InLoop(), "the handler is still in its own loop after writing to the other's")
		}
	}
	// A's handlers write to B's pipes and B's handlers to A's.
	require.NoError(t, pA.OnRead(forward(la, qB))) // lands at qA
	require.NoError(t, qA.OnRead(forward(la, pB))) // lands at pA
	require.NoError(t, pB.OnRead(forward(lb, qA))) // lands at qB
	require.NoError(t, qB.OnRead(forward(lb, pA))) // lands at pB
	start := bytes.Repeat([]byte{ttl}, tokens)
	_, err := pA.Write(start) // circulates pB → qA → qB → pA...
	require.NoError(t, err)
	_, err = pB.Write(start) // circulates pA → qB → qA → pB...
	require.NoError(t, err)
	<-done
	if err, _ := werr.Load().(error); err != nil {
		t.Fatal(err)
	}
	for _, p := range []*uv.Pipe{pA, pB, qA, qB} {
		require.NoError(t, p.OnRead(nil))
	}
}

// A handler of loop A closes a handle of loop B and writes to one: Close
// starts the close and returns, the write is posted or queued and counted
// whole; the test goroutine then sees the close completed and the bytes.
func TestHandlerClosesAndWritesOnAnotherLoop(t *testing.T) {
	la, lb := uvtest.NewLoop(t), uvtest.NewLoop(t)
	defer watchdog(t)()
	x, y := pipePair(t, lb, false)
	victim, err := uv.NewTCP(lb)
	require.NoError(t, err)
	msg := bytes.Repeat([]byte("cross "), 100000) // more than the socket takes at once
	var n int
	var werr, cerr error
	// Keep b busy meanwhile, so that some calls find its lock taken.
	stop := make(chan struct{})
	var busy sync.WaitGroup
	busy.Add(1)
	go func() {
		defer busy.Done()
		for {
			select {
			case <-stop:
				return
			default:
				lb.Do(func() {})
			}
		}
	}()
	require.NoError(t, la.Do(func() {
		cerr = victim.Close()
		assert.True(t, la.InLoop())
		n, werr = x.Write(msg)
		assert.True(t, la.InLoop())
	}))
	close(stop)
	busy.Wait()
	require.NoError(t, cerr)
	require.NoError(t, werr)
	assert.Equal(t, len(msg), n)
	got := make([]byte, len(msg))
	_, err = readFull(y, got)
	require.NoError(t, err)
	assert.Equal(t, msg, got)
	require.NoError(t, victim.Close(), "closed, and Close is idempotent")
	assert.Equal(t, 2, lb.HandleCount(), "the victim's close completed: only the pair is left")
}

func readFull(p *uv.Pipe, b []byte) (int, error) {
	n := 0
	for n < len(b) {
		m, err := p.Read(b[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// A handler of loop A (OnHandle of A's pipe) accepts the handle into a
// target on loop B: the fd is handed to B and accepted there, with the
// target's hook run on B. AcceptHandle on B's pipe from A's handler, with B
// busy, returns ErrWouldBlock rather than wait.
func TestHandlerAcceptsIntoAnotherLoop(t *testing.T) {
	la, lb := uvtest.NewLoop(t), uvtest.NewLoop(t)
	defer watchdog(t)()
	a, b := pipePair(t, la, true)
	srv := listener(t, la)
	target := &hooked{hooked: make(chan error, 1)}
	var err error
	target.TCP, err = uv.NewTCP(lb)
	require.NoError(t, err)
	target.loop = lb
	t.Cleanup(func() { target.Close() })
	accepted := make(chan error, 1)
	b.OnHandle(func(uv.HandleType) {
		accepted <- b.AcceptHandle(target)
		assert.True(t, la.InLoop())
	})
	require.NoError(t, b.OnRead(func([]byte, error) {}))
	_, err = a.WriteHandle([]byte("x"), srv)
	require.NoError(t, err)
	require.NoError(t, <-accepted)
	require.NoError(t, <-target.hooked, "the hook ran on the target's loop")
	assert.Equal(t, 0, b.PendingCount())
	assert.GreaterOrEqual(t, target.Fd(), 0, "the target holds the accepted fd")

	// B's pipe, from A's handler, while B is busy (its lock held by a Do
	// that waits for A's handler to have tried).
	c, d := pipePair(t, lb, true)
	require.NoError(t, d.OnRead(func([]byte, error) {})) // without OnHandle: handles stay pending
	_, err = c.WriteHandle([]byte("y"), srv)
	require.NoError(t, err)
	require.Eventually(t, func() bool { return d.PendingCount() > 0 }, crossLoopDeadline, time.Millisecond)
	tried := make(chan struct{})
	inB := make(chan struct{})
	go lb.Do(func() { close(inB); <-tried })
	<-inB
	tcp, err := uv.NewTCP(la)
	require.NoError(t, err)
	require.NoError(t, la.Do(func() {
		assert.ErrorIs(t, d.AcceptHandle(tcp), uv.ErrWouldBlock)
		assert.True(t, la.InLoop())
	}))
	close(tried)
	require.NoError(t, tcp.Close())
}

// hooked is a TCP target with an IPCAccepted hook that reports on which
// loop it ran.
type hooked struct {
	*uv.TCP
	loop   *uv.Loop
	hooked chan error
	once   sync.Once
}

func (h *hooked) IPCAccepted() {
	h.once.Do(func() {
		var err error
		if !h.loop.InLoop() {
			err = errors.New("the hook ran off the target's loop")
		}
		h.hooked <- err
	})
}

// Post, Do, Refs, HandleCount and handle methods race with Close: each
// returns or fails with an error; none crashes or races.
func TestLoopCloseRacesWithCallers(t *testing.T) {
	rounds := 1000
	if testing.Short() {
		rounds = 100
	}
	for range rounds {
		l, err := uv.NewLoop()
		require.NoError(t, err)
		x, y := pipePairNoCleanup(t, l)
		var wg sync.WaitGroup
		start := make(chan struct{})
		calls := []func(){
			func() { l.Post(func() {}) },
			func() { l.Do(func() {}) },
			func() { l.Refs() },
			func() { l.HandleCount() },
			func() { x.Write([]byte("x")) },
			func() { x.Fd() },
			func() { y.Close() },
			func() { l.Close() },
		}
		for _, f := range calls {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				f()
			}()
		}
		close(start)
		wg.Wait()
		require.NoError(t, l.Close())
		assert.ErrorIs(t, l.Post(func() {}), uv.ErrLoopClosed)
		assert.ErrorIs(t, l.Do(func() {}), uv.ErrLoopClosed)
		assert.Equal(t, 0, l.HandleCount())
		_, err = x.Write([]byte("x"))
		assert.Error(t, err)
	}
}

func pipePairNoCleanup(t *testing.T, l *uv.Loop) (*uv.Pipe, *uv.Pipe) {
	t.Helper()
	x, y, err := connectPipes(l, l, false)
	require.NoError(t, err)
	return x, y
}

// postAfterCloseChild is the child's part of TestPostAfterClose: Post on a
// closed loop must return, not crash the process.
func postAfterCloseChild() int {
	l, err := uv.NewLoop()
	if err != nil {
		return 1
	}
	l.Close()
	for range 100 {
		l.Post(func() {})
	}
	fmt.Println("post after close returned")
	return 0
}

// Post after Close returns ErrLoopClosed. The first part runs in a child
// process, so that a crash is seen as a failure rather than as the end of
// the test binary.
func TestPostAfterClose(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=post-after-close")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "the child crashed:\n%s", out)
	assert.Contains(t, string(out), "post after close returned")

	l, err := uv.NewLoop()
	require.NoError(t, err)
	require.NoError(t, l.Close())
	assert.ErrorIs(t, l.Post(func() {}), uv.ErrLoopClosed)
}

// A cross-loop AcceptHandle whose target cannot take the fd (it is closed)
// fails, and the fd it took from libuv's queue is closed, not leaked (on
// Windows, where fds are HANDLEs, their count).
func TestCrossLoopAcceptFailureLeaksNoFD(t *testing.T) {
	la, lb := uvtest.NewLoop(t), uvtest.NewLoop(t)
	a, b := pipePair(t, la, true)
	srv := listener(t, la)
	pending := make(chan struct{}, 1)
	b.OnHandle(func(uv.HandleType) {
		select {
		case pending <- struct{}{}:
		default:
		}
	})
	require.NoError(t, b.OnRead(func([]byte, error) {}))
	target, err := uv.NewTCP(lb)
	require.NoError(t, err)
	require.NoError(t, target.Close())
	before := openFDs(t)
	_, err = a.WriteHandle([]byte("x"), srv)
	require.NoError(t, err)
	<-pending
	want := before
	if pendingHoldsFD {
		assert.Equal(t, before+1, openFDs(t), "the received fd, pending")
	} else {
		want = openFDs(t) // the socket is made when the handle is taken
	}
	assert.Error(t, b.AcceptHandle(target))
	assert.Equal(t, want, openFDs(t), "the received fd was closed")
}

// Writes from a handler of loop A to a stream of loop B keep their order,
// whether each finds B's lock free (written at once) or taken (handed over).
func TestHandlerWritesToAnotherLoopInOrder(t *testing.T) {
	la, lb := uvtest.NewLoop(t), uvtest.NewLoop(t)
	defer watchdog(t)()
	x, y := pipePair(t, lb, false)
	const posts, each = 200, 10
	stop := make(chan struct{})
	var busy sync.WaitGroup
	busy.Add(1)
	go func() { // takes B's lock again and again
		defer busy.Done()
		for {
			select {
			case <-stop:
				return
			default:
				lb.Do(func() {})
			}
		}
	}()
	for i := range posts {
		require.NoError(t, la.Post(func() {
			for k := range each {
				v := uint32(i*each + k)
				if _, err := x.Write([]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}); err != nil {
					t.Error(err)
				}
			}
		}))
	}
	got := make([]byte, 4*posts*each)
	_, err := readFull(y, got)
	close(stop)
	busy.Wait()
	require.NoError(t, err)
	for i := range posts * each {
		v := int(got[4*i])<<24 | int(got[4*i+1])<<16 | int(got[4*i+2])<<8 | int(got[4*i+3])
		if v != i {
			t.Fatalf("message %d is %d: out of order", i, v)
		}
	}
}

// A method without a way not to wait, called from inside loop A on a handle
// of loop B whose lock a goroutine holds, waits for the lock; it does not
// fail.
func TestCrossLoopCallWaitsForABusyLock(t *testing.T) {
	la, lb := uvtest.NewLoop(t), uvtest.NewLoop(t)
	defer watchdog(t)()
	x, _ := pipePair(t, lb, false)
	release := make(chan struct{})
	held := make(chan struct{})
	go lb.Do(func() { close(held); <-release })
	<-held
	go func() {
		for uv.WaitsFor(la) != lb {
			runtime.Gosched()
		}
		close(release)
	}()
	var fd int
	require.NoError(t, la.Do(func() {
		fd = x.Fd()
		assert.True(t, la.InLoop())
	}))
	assert.GreaterOrEqual(t, fd, 0)
	assert.Nil(t, uv.WaitsFor(la))
}

// Two loops whose Do functions each call into the other's handles would
// wait for each other's lock forever: one of the calls panics instead,
// naming the rule, and both Do calls return.
func TestCrossLoopCycleIsRefusedNotDeadlocked(t *testing.T) {
	la, lb := uvtest.NewLoop(t), uvtest.NewLoop(t)
	defer watchdog(t)()
	xa, _ := pipePair(t, la, false)
	xb, _ := pipePair(t, lb, false)
	inA, inB := make(chan struct{}), make(chan struct{})
	results := make(chan any, 2)
	call := func(own *uv.Loop, mine, theirs chan struct{}, other *uv.Pipe) {
		defer func() { results <- recover() }()
		own.Do(func() {
			close(mine)
			<-theirs // both loops are held before either calls across
			other.Fd()
		})
	}
	go call(la, inA, inB, xb)
	go call(lb, inB, inA, xa)
	panicked := 0
	for range 2 {
		if r := <-results; r != nil {
			assert.Contains(t, fmt.Sprint(r), "would wait for each other's lock")
			panicked++
		}
	}
	assert.GreaterOrEqual(t, panicked, 1, "a cycle was seen")
}

// Methods with nothing to do but wait for this loop's progress do not wait
// when called from inside another loop, even when this loop's lock is free:
// a Read with nothing buffered, a CloseWrite, a UDP ReadFrom return
// ErrWouldBlock there.
func TestNoWaitForAnotherLoopsProgress(t *testing.T) {
	a := uvtest.NewLoop(t)
	b, err := uv.LoopConfig{Manual: true}.NewLoop() // no background leader to hold its lock
	require.NoError(t, err)
	defer b.Close()
	x, _ := pipePair(t, b, false)
	u, err := uv.NewUDP(b)
	require.NoError(t, err)
	require.NoError(t, u.Bind(&net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)}))
	var readErr, fromErr error
	require.NoError(t, a.Do(func() {
		_, readErr = x.Read(make([]byte, 8))
		_, _, fromErr = u.ReadFrom(make([]byte, 8))
	}))
	assert.ErrorIs(t, readErr, uv.ErrWouldBlock)
	assert.ErrorIs(t, fromErr, uv.ErrWouldBlock)
}
