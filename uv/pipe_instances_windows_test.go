package uv_test

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/sys/windows"

	"github.com/uvpipe/uvpipe/uv"
	"github.com/uvpipe/uvpipe/uv/uvtest"
)

// openPipeClient opens the named pipe name as a client, without waiting
// for a free instance.
func openPipeClient(name string) (windows.Handle, error) {
	p, err := windows.UTF16PtrFromString(name)
	if err != nil {
		return 0, err
	}
	return windows.CreateFile(p, windows.GENERIC_READ|windows.GENERIC_WRITE, 0, nil, windows.OPEN_EXISTING, 0, 0)
}

// A pipe server given n pending instances takes n clients at once, before
// it accepts any; with libuv's default (4) the fifth finds the pipe busy.
func TestPipeSetPendingInstances(t *testing.T) {
	for _, n := range []int{0, 16} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			l := uvtest.NewLoop(t)
			name := fmt.Sprintf(`\\.\pipe\uvpipe-test-%d-%d`, os.Getpid(), time.Now().UnixNano())
			srv, err := uv.NewPipe(l, false, 0)
			require.NoError(t, err)
			defer srv.Close()
			require.NoError(t, srv.SetPendingInstances(n))
			require.NoError(t, srv.Bind(name))
			require.NoError(t, srv.Listen(0))
			want := n
			if n == 0 {
				want = 4
			}
			for i := range want {
				h, err := openPipeClient(name)
				require.NoError(t, err, "client %d of %d", i+1, want)
				defer windows.CloseHandle(h)
			}
			_, err = openPipeClient(name)
			require.ErrorIs(t, err, windows.ERROR_PIPE_BUSY, "every instance is taken")
		})
	}
}
