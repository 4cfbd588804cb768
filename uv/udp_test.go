//go:build cgo

package uv_test

import (
	"net"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/uv"
	"github.com/uvpipe/uvpipe/uv/uvtest"
)

// UDP echo between two loops: one echoes with a handler, the other sends and
// reads with blocking calls.
func TestUDPEchoBetweenTwoLoops(t *testing.T) {
	el, cl := uvtest.NewLoop(t), uvtest.NewLoop(t)
	echo, err := uv.NewUDP(el)
	require.NoError(t, err)
	defer echo.Close()
	require.NoError(t, echo.Bind(&net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)}))
	require.NoError(t, echo.OnRecv(func(data []byte, from *net.UDPAddr, err error) {
		if err == nil {
			echo.WriteTo(data, from)
		}
	}))

	c, err := uv.NewUDP(cl)
	require.NoError(t, err)
	defer c.Close()
	require.NoError(t, c.Bind(&net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)}))
	for i := 0; i < 20; i++ {
		msg := []byte{'d', byte(i)}
		_, err := c.WriteTo(msg, echo.LocalAddr())
		require.NoError(t, err)
		buf := make([]byte, 64)
		n, from, err := c.ReadFrom(buf)
		require.NoError(t, err)
		assert.Equal(t, msg, buf[:n])
		assert.Equal(t, echo.LocalAddr().String(), from.String())
	}
}
