//go:build !windows

package nodeipc_test

import (
	"context"
	"fmt"
	"io"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/ipc/nodeipc"
)

// A Recv that reads the socket itself is interrupted when its context ends,
// and the channel goes on reading for the next Recv.
func TestRecvContextEndsItsRead(t *testing.T) {
	ch, p := rawPair(t, nodeipc.JSON)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	_, err := ch.Recv(ctx)
	require.ErrorIs(t, err, context.DeadlineExceeded)

	ctx2, cancel2 := context.WithCancel(context.Background())
	go func() {
		time.Sleep(20 * time.Millisecond)
		cancel2()
	}()
	_, err = ch.Recv(ctx2)
	require.ErrorIs(t, err, context.Canceled)

	p.write("\"after\"\n")
	require.Equal(t, "after", recv(t, ch).Value) // no deadline left behind
}

// One long-lived context serves many Recvs (its watch stays registered), and
// ending it still interrupts the Recv reading at that moment.
func TestRecvLongLivedContext(t *testing.T) {
	ch, p := rawPair(t, nodeipc.JSON)
	ctx, cancel := context.WithCancel(context.Background())
	for i := 0; i < 20; i++ {
		p.write(fmt.Sprintf("%d\n", i))
		m, err := ch.Recv(ctx)
		require.NoError(t, err)
		require.Equal(t, float64(i), m.Value)
	}
	go func() {
		time.Sleep(20 * time.Millisecond)
		cancel()
	}()
	_, err := ch.Recv(ctx)
	require.ErrorIs(t, err, context.Canceled)
	p.write("\"next\"\n")
	require.Equal(t, "next", recv(t, ch).Value)
}

// Several goroutines receiving at once: one reads, the others wait for it,
// and every message reaches exactly one of them.
func TestConcurrentRecvsShareTheReads(t *testing.T) {
	ch, p := rawPair(t, nodeipc.JSON)
	const n, receivers = 2000, 4
	var mu sync.Mutex
	var got []int
	var wg sync.WaitGroup
	for r := 0; r < receivers; r++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				m, err := ch.Recv(context.Background())
				if err != nil {
					require.ErrorIs(t, err, io.EOF)
					return
				}
				mu.Lock()
				got = append(got, int(m.Value.(float64)))
				mu.Unlock()
			}
		}()
	}
	for i := 0; i < n; i++ {
		p.write(fmt.Sprintf("%d\n", i))
	}
	require.NoError(t, p.close())
	wg.Wait()
	sort.Ints(got)
	require.Len(t, got, n)
	for i, v := range got {
		require.Equal(t, i, v)
	}
}

// Nobody calls Recv: the channel still reads, answering the peer's
// internal messages, and sees the peer go (Done).
func TestChannelReadsWithoutRecv(t *testing.T) {
	ch, p := rawPair(t, nodeipc.JSON)
	p.write(`{"cmd":"NODE_SOCKET_GET_COUNT","key":"k1"}` + "\n")
	require.Equal(t, `{"cmd":"NODE_SOCKET_COUNT","key":"k1","count":0}`+"\n", p.line())
	require.NoError(t, p.close())
	select {
	case <-ch.Done():
	case <-time.After(20 * time.Second):
		t.Fatal("the channel did not see the peer go without a Recv")
	}
	require.ErrorIs(t, recvErr(t, ch), io.EOF)
}

// Close ends a Recv that is reading the socket.
func TestCloseEndsReadingRecv(t *testing.T) {
	ch, _ := rawPair(t, nodeipc.JSON)
	errc := make(chan error, 1)
	go func() {
		_, err := ch.Recv(context.Background())
		errc <- err
	}()
	time.Sleep(20 * time.Millisecond)
	require.NoError(t, ch.Close())
	select {
	case err := <-errc:
		require.ErrorIs(t, err, nodeipc.ErrChannelClosed)
	case <-time.After(20 * time.Second):
		t.Fatal("Recv still blocked after Close")
	}
}
