//go:build !windows

package pipe_test

import (
	"net"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/pipe"
	"github.com/uvpipe/uvpipe/uv"
)

// tracked is a type of the program's own that takes part in handle passing:
// it wraps a uv.TCP (IPCAcceptable) and wants to know when a handle was
// accepted into it (IPCAcceptHook), as bare-tcp's Socket does with
// Symbol.for('bare.ipc.accept').
type tracked struct {
	*uv.TCP
	mu       sync.Mutex
	accepted int
}

func (t *tracked) IPCAccepted() {
	t.mu.Lock()
	t.accepted++
	t.mu.Unlock()
}

func (t *tracked) count() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.accepted
}

func newTracked(t *testing.T) *tracked {
	t.Helper()
	tcp, err := uv.NewTCP(nil)
	require.NoError(t, err)
	t.Cleanup(func() { tcp.Close() })
	return &tracked{TCP: tcp}
}

// A user type is accepted into from ReadHandles (AcceptInto) and its hook
// runs once.
func TestUserTypeAcceptInto(t *testing.T) {
	a, b := socketPair(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	_, err = a.WriteHandle([]byte("x"), ln)
	require.NoError(t, err)
	_, hs, err := b.ReadHandles(make([]byte, 8))
	require.NoError(t, err)
	require.Len(t, hs, 1)

	wrong, err := uv.NewUDP(nil)
	require.NoError(t, err)
	defer wrong.Close()
	assert.Error(t, hs[0].AcceptInto(wrong), "a TCP handle does not go into a UDP target")

	target := newTracked(t)
	require.NoError(t, hs[0].AcceptInto(target), "the handle is still there after the wrong target")
	assert.Equal(t, 1, target.count())
	assert.Equal(t, ln.Addr().String(), target.LocalAddr().String())
}

// bare's way: a user type accepted into inside OnHandle; a target of the
// wrong type is an error and the handle stays pending for the next one.
func TestUserTypeAcceptInOnHandle(t *testing.T) {
	a, b := socketPair(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	target := newTracked(t)
	wrong, err := uv.NewUDP(nil)
	require.NoError(t, err)
	defer wrong.Close()
	var wrongErr, rightErr error
	got := make(chan struct{})
	b.OnHandle(func(typ uv.HandleType) {
		wrongErr = b.AcceptHandle(wrong)
		rightErr = b.AcceptHandle(target)
	})
	require.NoError(t, b.OnRead(func(data []byte, err error) {
		if err == nil {
			close(got)
		}
	}))
	_, err = a.WriteHandle([]byte("x"), ln)
	require.NoError(t, err)
	select {
	case <-got:
	case <-time.After(10 * time.Second):
		t.Fatal("no data came")
	}
	assert.Error(t, wrongErr)
	assert.NoError(t, rightErr)
	assert.Equal(t, 1, target.count())
	require.NoError(t, b.OnRead(nil))
	_ = pipe.ErrNoPendingHandle
}
