package pipe_test

import (
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/sys/windows"

	"github.com/uvpipe/uvpipe/pipe"
)

// A crowd that dials at once finds a pipe instance each: a server takes
// 100 clients before it accepts any (libuv's default of 4 instances made
// the fifth find the pipe busy and wait for one).
func TestListenTakesACrowdWindows(t *testing.T) {
	srv, err := pipe.Listen("")
	require.NoError(t, err)
	defer srv.Close()
	name, err := windows.UTF16PtrFromString(srv.Addr().String())
	require.NoError(t, err)
	for i := range 100 {
		h, err := windows.CreateFile(name, windows.GENERIC_READ|windows.GENERIC_WRITE, 0, nil, windows.OPEN_EXISTING, 0, 0)
		require.NoError(t, err, "client %d", i+1)
		defer windows.CloseHandle(h)
	}
}
