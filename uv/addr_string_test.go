//go:build cgo

package uv_test

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/uv"
	"github.com/uvpipe/uvpipe/uv/uvtest"
)

// A "host:port" string is an address, resolved as net.Dial resolves it:
// Bind and DialTCP take it as they take a *net.TCPAddr.
func TestAddressAsHostPortString(t *testing.T) {
	l := uvtest.NewLoop(t)
	tcp, err := uv.NewTCP(l)
	require.NoError(t, err)
	defer tcp.Close()
	require.NoError(t, tcp.Bind("127.0.0.1:0"))
	require.Equal(t, "127.0.0.1", tcp.LocalAddr().(*net.TCPAddr).IP.String())

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c, err := uv.DialTCP(ctx, l, ln.Addr().String())
	require.NoError(t, err)
	require.NoError(t, c.Close())

	require.Error(t, tcp.Bind("not an address"))
}
