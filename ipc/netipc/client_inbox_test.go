package netipc_test

import (
	"context"
	"encoding/json"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/ipc/netipc"
)

// A client whose OnPublish is held up holds a bounded inbox: 50,000
// publications of 1 KiB grow its heap by less than 24 MiB (it stops
// reading; the server then drops it as a slow consumer), and once the
// handler goes on it gets the publications it had read, in order.
func TestClientInboxBounded(t *testing.T) {
	s := startServer(t, netipc.ServerOptions{})
	release := make(chan struct{})
	var mu sync.Mutex
	var got []int
	c, err := netipc.Dial(context.Background(), netipc.ClientOptions{Path: s.Addr().String(), NoReconnect: true,
		OnPublish: func(_ string, m json.RawMessage) {
			<-release
			var v struct{ I int }
			_ = json.Unmarshal(m, &v)
			mu.Lock()
			got = append(got, v.I)
			mu.Unlock()
		}})
	require.NoError(t, err)
	defer c.Destroy()
	_, err = c.Subscribe(context.Background(), "news")
	require.NoError(t, err)

	var before, during runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	pad := strings.Repeat("x", 1000)
	for i := 0; i < 50000; i++ {
		_ = s.Publish("news", map[string]any{"i": i, "pad": pad})
	}
	runtime.GC()
	runtime.ReadMemStats(&during)
	close(release)
	grew := int64(during.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("heap growth with 50,000 publications of 1 KiB waiting for a held handler: %d KiB", grew>>10)
	assert.Less(t, grew, int64(24<<20))
	<-c.Done()
	mu.Lock()
	defer mu.Unlock()
	require.NotEmpty(t, got)
	for i, v := range got {
		require.Equal(t, i, v, "publications arrive in order, none skipped")
	}
}
