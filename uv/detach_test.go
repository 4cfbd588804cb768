//go:build cgo

package uv_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/uv"
	"github.com/uvpipe/uvpipe/uv/uvtest"
)

// tcpPair returns a connected client (dialed on cl) and server-side handle
// (accepted on sl).
func tcpPair(t *testing.T, sl, cl *uv.Loop) (client, server *uv.TCP) {
	t.Helper()
	srv, err := uv.NewTCP(sl)
	require.NoError(t, err)
	defer srv.Close()
	require.NoError(t, srv.Bind(loopback))
	require.NoError(t, srv.Listen(0))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	client, err = uv.DialTCP(ctx, cl, srv.LocalAddr())
	require.NoError(t, err)
	server, err = srv.Accept()
	require.NoError(t, err)
	return client, server
}

// readN reads exactly n bytes with small Reads (so that libuv reads into the
// handle's own buffer, and bytes wait there).
func readN(t *testing.T, r io.Reader, n int) string {
	t.Helper()
	out := make([]byte, 0, n)
	b := make([]byte, 3)
	for len(out) < n {
		k, err := r.Read(b[:min(len(b), n-len(out))])
		require.NoError(t, err)
		out = append(out, b[:k]...)
	}
	return string(out)
}

func TestDetachTCPMovesBufferedBytesToAnotherLoop(t *testing.T) {
	a, b := uvtest.NewLoop(t), uvtest.NewLoop(t)
	client, server := tcpPair(t, a, a)
	defer client.Close()
	_, err := client.Write([]byte("hello, world"))
	require.NoError(t, err)
	assert.Equal(t, "hel", readN(t, server, 3)) // the rest may wait in the handle
	before := a.HandleCount()

	d, err := server.Detach()
	require.NoError(t, err)
	assert.Equal(t, uv.TCPHandle, d.Type())
	assert.Equal(t, before-1, a.HandleCount(), "the old handle closed")
	_, err = server.Read(make([]byte, 1))
	assert.ErrorIs(t, err, net.ErrClosed)

	h, err := d.Attach(b)
	require.NoError(t, err)
	moved := h.(*uv.TCP)
	defer moved.Close()
	assert.Same(t, b, moved.Loop())
	_, err = d.Attach(b)
	assert.Error(t, err, "a Detached attaches once")

	assert.Equal(t, "lo, world", readN(t, moved, 9))
	_, err = client.Write([]byte("more"))
	require.NoError(t, err)
	assert.Equal(t, "more", readN(t, moved, 4))
	_, err = moved.Write([]byte("back"))
	require.NoError(t, err)
	assert.Equal(t, "back", readN(t, client, 4))
	require.NoError(t, client.CloseWrite())
	_, err = moved.Read(make([]byte, 8))
	assert.ErrorIs(t, err, io.EOF)
}

func TestDetachTCPAfterEOFKeepsTheEnd(t *testing.T) {
	a, b := uvtest.NewLoop(t), uvtest.NewLoop(t)
	client, server := tcpPair(t, a, a)
	_, err := client.Write([]byte("bye!"))
	require.NoError(t, err)
	require.NoError(t, client.Close())
	assert.Equal(t, "b", readN(t, server, 1))
	d, err := server.Detach()
	require.NoError(t, err)
	h, err := d.Attach(b)
	require.NoError(t, err)
	defer h.IPCHandle().Close()
	got, err := io.ReadAll(h.(*uv.TCP))
	require.NoError(t, err)
	assert.Equal(t, "ye!", string(got))
}

func TestDetachRefusesClosedHandle(t *testing.T) {
	srv := listener(t, uvtest.NewLoop(t))
	require.NoError(t, srv.Close())
	_, err := srv.Detach()
	assert.ErrorIs(t, err, net.ErrClosed)
}

// A handle detached inside a handler of its own loop (as a server hands an
// accepted connection on), then attached elsewhere.
func TestDetachInsideHandler(t *testing.T) {
	a, b := uvtest.NewLoop(t), uvtest.NewLoop(t)
	client, server := tcpPair(t, a, a)
	defer client.Close()
	var d *uv.Detached
	var derr error
	require.NoError(t, a.Do(func() { d, derr = server.Detach() }))
	require.NoError(t, derr)
	h, err := d.Attach(b)
	require.NoError(t, err)
	defer h.IPCHandle().Close()
	_, err = client.Write([]byte("x"))
	require.NoError(t, err)
	assert.Equal(t, "x", readN(t, h.(*uv.TCP), 1))
}

// A pipe connection moves between loops while its peer writes: every byte
// written before, during and after each move arrives once and in order (the
// bytes the old handle had read and not returned first), the moved pipe
// writes to its peer, and it lives on after the loop it was first opened on
// closed (on Windows, the loop whose completion port the pipe stays
// associated with).
func TestDetachPipeMovesWhileThePeerWrites(t *testing.T) {
	l1, err := uv.NewLoop()
	require.NoError(t, err)
	defer l1.Close()
	l2, l3, lp := uvtest.NewLoop(t), uvtest.NewLoop(t), uvtest.NewLoop(t)
	p, q := pipePairLoops(t, l1, lp, false)
	const phase = 400
	record := func(i int) string { return fmt.Sprintf("%07d\n", i) }
	// write writes the records from to to: in one Write while nobody reads
	// (small writes each take a whole buffer of a unix socket's room), one
	// Write each while a reader reads.
	write := func(from, to int, each bool) error {
		var b strings.Builder
		for i := from; i < to; i++ {
			b.WriteString(record(i))
			if each || i == to-1 {
				if _, err := q.Write([]byte(b.String())); err != nil {
					return err
				}
				b.Reset()
			}
		}
		return nil
	}
	next := 0
	expect := func(r io.Reader, n int) {
		t.Helper()
		var want strings.Builder
		for i := next; i < next+n; i++ {
			want.WriteString(record(i))
		}
		require.Equal(t, want.String(), readN(t, r, want.Len()), "records %d to %d", next, next+n-1)
		next += n
	}
	move := func(p *uv.Pipe, to *uv.Loop) *uv.Pipe {
		t.Helper()
		d, err := p.Detach()
		require.NoError(t, err)
		h, err := d.Attach(to)
		require.NoError(t, err)
		moved := h.(*uv.Pipe)
		t.Cleanup(func() { moved.Close() })
		return moved
	}

	require.NoError(t, write(0, phase, false)) // before the move
	expect(p, phase/2)                         // the rest waits in p or in the pipe
	d, err := p.Detach()
	require.NoError(t, err)
	_, err = p.Write([]byte("x"))
	require.ErrorIs(t, err, net.ErrClosed, "the detached handle is closed")
	require.NoError(t, write(phase, 2*phase, false)) // while the pipe is on no loop
	h, err := d.Attach(l2)
	require.NoError(t, err)
	p2 := h.(*uv.Pipe)
	t.Cleanup(func() { p2.Close() })
	require.NoError(t, l1.Close())
	require.NoError(t, write(2*phase, 3*phase, false)) // after the move
	expect(p2, 3*phase-next)

	// A second move while the peer writes without a pause.
	werr := make(chan error, 1)
	go func() { werr <- write(3*phase, 6*phase, true) }()
	expect(p2, phase/2)
	p3 := move(p2, l3)
	expect(p3, 6*phase-next)
	require.NoError(t, <-werr)

	_, err = p3.Write([]byte("back"))
	require.NoError(t, err)
	assert.Equal(t, "back", readN(t, q, 4), "the moved pipe writes to its peer")
}
