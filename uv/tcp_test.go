//go:build cgo

package uv_test

import (
	"context"
	"io"
	"net"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/uv"
	"github.com/uvpipe/uvpipe/uv/uvtest"
)

var loopback = &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)}

// TCP echo between two loops: the server's loop accepts and echoes with
// blocking calls, the client's loop dials.
func TestTCPEchoBetweenTwoLoops(t *testing.T) {
	sl, cl := uvtest.NewLoop(t), uvtest.NewLoop(t)
	srv, err := uv.NewTCP(sl)
	require.NoError(t, err)
	defer srv.Close()
	require.NoError(t, srv.Bind(loopback))
	require.NoError(t, srv.Listen(0))
	addr := srv.LocalAddr().(*net.TCPAddr)
	require.NotZero(t, addr.Port)

	served := make(chan error, 1)
	go func() {
		c, err := srv.Accept()
		if err != nil {
			served <- err
			return
		}
		_, err = io.Copy(c, c)
		if err == nil {
			err = c.CloseWrite()
		}
		c.Close()
		served <- err
	}()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := uv.DialTCP(ctx, cl, addr)
	require.NoError(t, err)
	defer c.Close()
	require.NoError(t, c.SetNoDelay(true))
	require.NoError(t, c.SetKeepAlive(true, 30*time.Second))
	assert.Equal(t, addr.String(), c.RemoteAddr().String())
	assert.Equal(t, "127.0.0.1", c.LocalAddr().(*net.TCPAddr).IP.String())

	for i := 0; i < 50; i++ {
		msg := []byte("ping " + string(rune('a'+i%26)))
		_, err := c.Write(msg)
		require.NoError(t, err)
		got := make([]byte, len(msg))
		_, err = io.ReadFull(c, got)
		require.NoError(t, err)
		require.Equal(t, msg, got)
	}
	require.NoError(t, c.CloseWrite())
	_, err = c.Read(make([]byte, 1))
	assert.ErrorIs(t, err, io.EOF)
	require.NoError(t, <-served)
}

func TestTCPEventStyleServer(t *testing.T) {
	l := uvtest.NewLoop(t)
	srv, err := uv.NewTCP(l)
	require.NoError(t, err)
	defer srv.Close()
	require.NoError(t, srv.Bind(loopback))
	srv.OnConnection(func(err error) {
		if err != nil {
			return
		}
		c, err := srv.Accept() // inside the handler: does not wait
		if err != nil {
			return
		}
		c.OnRead(func(data []byte, err error) {
			if err != nil {
				c.Close()
				return
			}
			c.Write(append([]byte("re:"), data...))
		})
	})
	require.NoError(t, srv.Listen(0))
	conn, err := net.Dial("tcp", srv.LocalAddr().String())
	require.NoError(t, err)
	defer conn.Close()
	_, err = conn.Write([]byte("hi"))
	require.NoError(t, err)
	got := make([]byte, 5)
	_, err = io.ReadFull(conn, got)
	require.NoError(t, err)
	assert.Equal(t, "re:hi", string(got))
	conn.Close()
	require.Eventually(t, func() bool { return l.HandleCount() == 1 }, 10*time.Second, time.Millisecond,
		"the accepted connection closed itself on EOF")
}

func TestTCPBindInUse(t *testing.T) {
	l := uvtest.NewLoop(t)
	a, err := uv.NewTCP(l)
	require.NoError(t, err)
	defer a.Close()
	require.NoError(t, a.Bind(loopback))
	require.NoError(t, a.Listen(0))
	b, err := uv.NewTCP(l)
	require.NoError(t, err)
	defer b.Close()
	err = b.Bind(a.LocalAddr())
	if err == nil {
		err = b.Listen(0)
	}
	assert.ErrorIs(t, err, syscall.EADDRINUSE)
	assert.Equal(t, "EADDRINUSE", uv.ErrName(err))
}

func TestTCPDialRefused(t *testing.T) {
	l := uvtest.NewLoop(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().(*net.TCPAddr)
	ln.Close()
	_, err = uv.DialTCP(context.Background(), l, addr)
	assert.ErrorIs(t, err, syscall.ECONNREFUSED)
}
