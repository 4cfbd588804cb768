//go:build cgo

package uv_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/uv"
	"github.com/uvpipe/uvpipe/uv/uvtest"
)

// cycle is the period of the byte pattern the concurrent-read tests send:
// the byte at stream offset k is 1 + k%cycle, never zero.
const cycle = 251

// Several goroutines Read one stream at once while the peer writes: each
// byte reaches exactly one Read, in one piece with its neighbours, and none
// comes back zeroed. Reads of 4 KiB and more lend their buffer to libuv; two
// Reads must never share that one lent buffer.
func TestConcurrentReadsTakeEachByteOnce(t *testing.T) {
	for _, readers := range []int{2, 4, 8} {
		for _, size := range []int{1, 4 << 10, 64 << 10} {
			t.Run(fmt.Sprintf("%dx%d", readers, size), func(t *testing.T) {
				rounds := 1024 // each value of the pattern appears this often
				if size == 1 {
					rounds = 64
				}
				concurrentReads(t, readers, size, rounds)
			})
		}
	}
}

func concurrentReads(t *testing.T, readers, size, rounds int) {
	l := uvtest.NewLoop(t)
	a, b := pipePair(t, l, false)
	msg := make([]byte, cycle*rounds)
	for k := range msg {
		msg[k] = byte(1 + k%cycle)
	}
	werr := make(chan error, 1)
	go func() {
		defer close(werr)
		for off := 0; off < len(msg); off += 16 << 10 {
			if _, err := a.Write(msg[off:min(off+16<<10, len(msg))]); err != nil {
				werr <- err
				return
			}
		}
		werr <- endWrite(a)
	}()

	chunks := make([][][]byte, readers)
	errs := make([]error, readers)
	var wg sync.WaitGroup
	for r := range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, size)
			for {
				n, err := b.Read(buf)
				if n > 0 {
					chunks[r] = append(chunks[r], append([]byte(nil), buf[:n]...))
				}
				if err != nil {
					if err != io.EOF {
						errs[r] = err
					}
					return
				}
			}
		}()
	}
	wg.Wait()
	require.NoError(t, <-werr)

	var count [256]int
	total := 0
	for r := range readers {
		require.NoError(t, errs[r], "reader %d", r)
		for _, c := range chunks[r] {
			for i, v := range c {
				count[v]++
				if i > 0 && v != c[i-1]%cycle+1 {
					t.Fatalf("reader %d got a piece that is not a run of the stream: %v", r, c[max(0, i-4):min(len(c), i+4)])
				}
			}
			total += len(c)
		}
	}
	assert.Equal(t, len(msg), total, "bytes read")
	assert.Zero(t, count[0], "zeroed bytes read")
	wrong := 0
	for v := 1; v <= cycle; v++ {
		if count[v] != rounds {
			wrong++
		}
	}
	assert.Zero(t, wrong, "pattern values not read exactly as often as sent")
}

// blockLen is the size of each block the concurrent-write tests send.
const blockLen = 100 << 10

// block is writer w's block number seq: a header with both, and the rest
// filled with one byte that depends on both.
func block(w, seq int) []byte {
	p := bytes.Repeat([]byte{fill(w, seq)}, blockLen)
	p[0] = byte(w)
	binary.BigEndian.PutUint32(p[1:5], uint32(seq))
	return p
}

func fill(w, seq int) byte { return byte(w*37+seq*11) | 1 }

// Several goroutines Write one stream at once: each Write's bytes arrive in
// one piece, and each writer's blocks in the order written.
func TestConcurrentWritesStayWhole(t *testing.T) {
	const writers, blocks = 4, 12
	l := uvtest.NewLoop(t)
	a, b := pipePair(t, l, false)
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for seq := range blocks {
				if n, err := a.Write(block(w, seq)); err != nil || n != blockLen {
					errs <- fmt.Errorf("writer %d block %d: n=%d: %v", w, seq, n, err)
					return
				}
			}
		}()
	}
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(errs)
		endWrite(a)
		close(done)
	}()

	next := make([]int, writers)
	buf := make([]byte, blockLen)
	for range writers * blocks {
		_, err := io.ReadFull(b, buf)
		require.NoError(t, err)
		w, seq := int(buf[0]), int(binary.BigEndian.Uint32(buf[1:5]))
		require.Less(t, w, writers, "a block starts with a writer's header")
		require.Equal(t, next[w], seq, "writer %d's blocks in order", w)
		require.True(t, bytes.Equal(block(w, seq), buf), "writer %d block %d arrived whole", w, seq)
		next[w]++
	}
	_, err := b.Read(buf)
	assert.ErrorIs(t, err, io.EOF)
	<-done
	for err := range errs {
		t.Error(err)
	}
}

// Several goroutines call ReadFrom on one UDP handle: each datagram reaches
// exactly one of them.
func TestUDPConcurrentReadFromTakesEachDatagramOnce(t *testing.T) {
	const readers, datagrams, window = 4, 2000, 32
	l := uvtest.NewLoop(t)
	rx, err := uv.NewUDP(l)
	require.NoError(t, err)
	require.NoError(t, rx.Bind(&net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)}))
	tx, err := uv.NewUDP(l)
	require.NoError(t, err)
	defer tx.Close()
	require.NoError(t, tx.Bind(&net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)}))

	got := make(chan uint32, datagrams)
	var wg sync.WaitGroup
	errs := make([]error, readers)
	for r := range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 64)
			for {
				n, _, err := rx.ReadFrom(buf)
				if err != nil {
					errs[r] = err
					return
				}
				if n != 4 {
					errs[r] = fmt.Errorf("a datagram of %d bytes", n)
					return
				}
				got <- binary.BigEndian.Uint32(buf[:4])
			}
		}()
	}
	// Send no more than window ahead of what was received, so that no
	// datagram is dropped for want of room.
	seen := make([]int, datagrams)
	sent := 0
	send := func() {
		var p [4]byte
		binary.BigEndian.PutUint32(p[:], uint32(sent))
		_, err := tx.WriteTo(p[:], rx.LocalAddr())
		require.NoError(t, err)
		sent++
	}
	for sent < window {
		send()
	}
	timeout := time.After(time.Minute)
	for range datagrams {
		select {
		case seq := <-got:
			require.Less(t, int(seq), datagrams)
			seen[seq]++
		case <-timeout:
			t.Fatal("datagrams stopped arriving")
		}
		if sent < datagrams {
			send()
		}
	}
	require.NoError(t, rx.Close())
	wg.Wait()
	for r, err := range errs {
		assert.ErrorIs(t, err, net.ErrClosed, "reader %d", r)
	}
	for seq, n := range seen {
		if n != 1 {
			t.Errorf("datagram %d read %d times", seq, n)
		}
	}
}

// Close while Reads and Writes block in several goroutines: every one
// returns net.ErrClosed, Close returns, and what reached the peer is exactly
// what the Writes counted, each Write's bytes in one piece.
func TestCloseUnblocksConcurrentReadsAndWrites(t *testing.T) {
	const readers, writers, size = 4, 4, 4 << 20
	l := uvtest.NewLoop(t)
	a, b := pipePair(t, l, false) // b does not read until a is closed
	type result struct {
		w   int
		n   int
		err error
	}
	results := make(chan result, readers+writers)
	for range readers {
		go func() {
			_, err := a.Read(make([]byte, 4<<10))
			results <- result{w: -1, err: err}
		}()
	}
	for w := range writers {
		go func() {
			n, err := a.Write(bytes.Repeat([]byte{byte(w + 1)}, size))
			results <- result{w: w, n: n, err: err}
		}()
	}
	require.Eventually(t, func() bool { return a.WriteQueueSize() > 0 }, time.Minute, time.Millisecond)
	require.NoError(t, a.Close())

	counted := make([]int, writers)
	for range readers + writers {
		r := <-results
		if r.w < 0 {
			assert.ErrorIs(t, r.err, net.ErrClosed, "a Read")
			continue
		}
		counted[r.w] = r.n
		if r.n < size {
			assert.ErrorIs(t, r.err, net.ErrClosed, "writer %d", r.w)
		}
	}
	got, err := io.ReadAll(b)
	require.NoError(t, err)
	// got is the writes' counted bytes, each Write's in one run.
	for len(got) > 0 {
		v := got[0]
		run := len(got) - len(bytes.TrimLeft(got, string([]byte{v})))
		require.NotZero(t, v)
		require.LessOrEqual(t, int(v), writers)
		assert.Equal(t, counted[v-1], run, "writer %d's bytes", v-1)
		counted[v-1] = 0
		got = got[run:]
	}
	for w, n := range counted {
		assert.Zero(t, n, "writer %d counted bytes that did not arrive", w)
	}
}

// A Write whose deadline passes while the rest of its bytes waits in
// libuv's queue counts those bytes too: they still go out, so what the peer
// reads is exactly p[:n], and a caller that retries p[n:] sends no byte
// twice.
func TestWriteDeadlineCountsWhatStillGoesOut(t *testing.T) {
	l := uvtest.NewLoop(t)
	a, b := pipePair(t, l, false)
	p := make([]byte, 8<<20)
	for i := range p {
		p[i] = byte(i * 7)
	}
	type result struct {
		n   int
		err error
	}
	res := make(chan result, 1)
	go func() {
		n, err := a.Write(p)
		res <- result{n, err}
	}()
	require.Eventually(t, func() bool { return a.WriteQueueSize() > 0 }, time.Minute, time.Millisecond)
	require.NoError(t, a.SetWriteDeadline(time.Now().Add(-time.Second)))
	r := <-res
	require.ErrorIs(t, r.err, os.ErrDeadlineExceeded)
	require.NoError(t, a.SetWriteDeadline(time.Time{}))

	got := make(chan []byte, 1)
	go func() {
		all, _ := io.ReadAll(b)
		got <- all
	}()
	require.NoError(t, endWrite(a)) // after the queued bytes
	all := <-got
	assert.Equal(t, r.n, len(all), "n is what arrived")
	assert.True(t, bytes.Equal(p[:r.n], all), "what arrived is p[:n]")
}

// A Write that Close interrupts after part of its queued bytes went out
// counts exactly those: the peer reads p[:n].
func TestWriteInterruptedByCloseCountsWhatWentOut(t *testing.T) {
	l := uvtest.NewLoop(t)
	a, b := pipePair(t, l, false)
	p := make([]byte, 16<<20)
	for i := range p {
		p[i] = byte(i * 13)
	}
	type result struct {
		n   int
		err error
	}
	res := make(chan result, 1)
	go func() {
		n, err := a.Write(p)
		res <- result{n, err}
	}()
	// Read more than the socket holds, so that part of the queued
	// request has gone out, then close the writer while it waits.
	head := make([]byte, 4<<20)
	_, err := io.ReadFull(b, head)
	require.NoError(t, err)
	require.NoError(t, a.Close())
	r := <-res
	require.ErrorIs(t, r.err, net.ErrClosed)
	rest, err := io.ReadAll(b)
	require.NoError(t, err)
	assertClosedWriteCounted(t, p, r.n, append(head, rest...))
}

// A Read inside a handler never waits for another goroutine's Read: it
// returns ErrWouldBlock while that Read owns the read side.
func TestReadInsideHandlerDuringBlockedRead(t *testing.T) {
	l := uvtest.NewLoop(t)
	a, b := pipePair(t, l, false)
	done := make(chan error, 1)
	go func() {
		_, err := io.ReadFull(b, make([]byte, 1))
		done <- err
	}()
	var err error
	require.NoError(t, l.Do(func() { _, err = b.Read(make([]byte, 1)) }))
	assert.True(t, errors.Is(err, uv.ErrWouldBlock), "got %v", err)
	_, werr := a.Write([]byte("x"))
	require.NoError(t, werr)
	require.NoError(t, <-done)
}

// A Write that the closing of its loop interrupts counts exactly what went
// out before the loop closed its stream, and does not hang.
func TestWriteInterruptedByLoopCloseCountsWhatWentOut(t *testing.T) {
	l, err := uv.NewLoop()
	require.NoError(t, err)
	a, peer := pipePairLoops(t, l, uvtest.NewLoop(t), false) // the peer's loop stays open
	p := make([]byte, 16<<20)
	for i := range p {
		p[i] = byte(i * 5)
	}
	type result struct {
		n   int
		err error
	}
	res := make(chan result, 1)
	go func() {
		n, err := a.Write(p)
		res <- result{n, err}
	}()
	head := make([]byte, 4<<20)
	_, err = io.ReadFull(peer, head)
	require.NoError(t, err)
	require.NoError(t, l.Close())
	r := <-res
	require.Error(t, r.err)
	assert.True(t, errors.Is(r.err, net.ErrClosed) || errors.Is(r.err, uv.ErrLoopClosed), "got %v", r.err)
	rest, err := io.ReadAll(peer)
	require.NoError(t, err)
	assertClosedWriteCounted(t, p, r.n, append(head, rest...))
	assert.Zero(t, l.HandleCount())
}

// A Write inside a handler while another goroutine's Write waits does not
// wait for its turn: it queues its bytes whole, after the waiting Write's.
func TestWriteInsideHandlerDuringBlockedWrite(t *testing.T) {
	l := uvtest.NewLoop(t)
	a, b := pipePair(t, l, false)
	p := bytes.Repeat([]byte{'p'}, 8<<20)
	errc := make(chan error, 1)
	go func() {
		_, err := a.Write(p)
		errc <- err
	}()
	require.Eventually(t, func() bool { return a.WriteQueueSize() > 0 }, time.Minute, time.Millisecond)
	var n int
	var err error
	require.NoError(t, l.Do(func() { n, err = a.Write([]byte("handler")) }))
	require.NoError(t, err)
	assert.Equal(t, len("handler"), n)
	got := make(chan []byte, 1)
	go func() {
		all, _ := io.ReadAll(b)
		got <- all
	}()
	require.NoError(t, <-errc)
	require.NoError(t, endWrite(a))
	assert.True(t, bytes.Equal(append(p, "handler"...), <-got), "the waiting Write's bytes, then the handler's")
}

// Several goroutines send handles (WriteFD) on one IPC pipe while several
// others take them (ReadHandles): every handle arrives exactly once, just
// before its message, and every message's bytes arrive.
func TestConcurrentHandlePassing(t *testing.T) {
	const writers, msgs, readers, msgLen = 4, 25, 3, 8
	l := uvtest.NewLoop(t)
	a, b := pipePair(t, l, true)
	fd, typ := passableFD(t)

	var wg sync.WaitGroup
	werrs := make(chan error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range msgs {
				msg := fmt.Sprintf("w%d-%05d", w, i) // msgLen bytes
				if _, err := a.WriteFD([]byte(msg), fd, typ); err != nil {
					werrs <- err
					return
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(werrs)
		endWrite(a)
	}()

	type got struct {
		data    []byte
		handles int
		err     error
	}
	results := make(chan got, readers)
	for range readers {
		go func() {
			var g got
			buf := make([]byte, msgLen)
			for {
				n, hs, err := b.ReadHandles(buf)
				for _, h := range hs {
					if h.Fd() < 0 {
						g.err = errors.New("a received handle without an fd")
					}
					h.Close()
				}
				if len(hs) > 0 && (n == 0 || buf[0] != 'w') {
					g.err = fmt.Errorf("handles before %q, not before a message", buf[:n])
				}
				g.handles += len(hs)
				g.data = append(g.data, buf[:n]...)
				if err != nil {
					if err != io.EOF {
						g.err = err
					}
					results <- g
					return
				}
			}
		}()
	}
	handles, total := 0, 0
	count := map[byte]int{}
	for range readers {
		g := <-results
		require.NoError(t, g.err)
		handles += g.handles
		total += len(g.data)
		for _, c := range g.data {
			count[c]++
		}
	}
	for err := range werrs {
		require.NoError(t, err)
	}
	assert.Equal(t, writers*msgs, handles, "handles received")
	assert.Equal(t, writers*msgs*msgLen, total, "bytes received")
	assert.Equal(t, writers*msgs, count['-'], "messages received")
}
