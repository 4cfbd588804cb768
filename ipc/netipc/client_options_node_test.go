package netipc_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/ipc/netipc"
	"github.com/uvpipe/uvpipe/ipc/netipc/wire"
)

// With Handshake the Go client opens with net-ipc's GET upgrade: net-ipc's
// server under node switches protocols and serves it, and so does the Go
// server. PingData's data goes in the PING, which net-ipc's server answers.
func TestClientHandshakeAndPingData(t *testing.T) {
	peer, path := nodeNetIPCServer(t)
	defer peer.stop()
	goSrv := startServer(t, netipc.ServerOptions{})
	for i, p := range []string{path, goSrv.Addr().String()} {
		c, err := netipc.Dial(context.Background(), netipc.ClientOptions{Path: p, Handshake: true, NoReconnect: true})
		require.NoError(t, err, p)
		resp, err := c.Request(context.Background(), map[string]int{"n": 1})
		require.NoError(t, err)
		if i == 0 {
			assert.Equal(t, `{"echo":{"n":1}}`, string(resp), "net-ipc's server answers")
		}
		_, err = c.PingData(context.Background(), map[string]string{"x": "y"})
		require.NoError(t, err)
		require.NoError(t, c.Close())
	}
	// The PING carries the data as net-ipc's ping(data) writes it.
	s := startServer(t, netipc.ServerOptions{})
	c, err := netipc.Dial(context.Background(), netipc.ClientOptions{Path: s.Addr().String(), NoReconnect: true})
	require.NoError(t, err)
	defer c.Destroy()
	ln, err := listenRaw(sockPath(t))
	require.NoError(t, err)
	defer ln.Close()
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		var pre [3]byte
		conn.Read(pre[:])
		r := wire.NewPacketReader(conn, 0)
		r.ReadPacket()
		b, _ := wire.AppendPacket(nil, wire.Packet{Type: wire.PacketConnection, Data: json.RawMessage(`{"id":"p"}`)})
		conn.Write(b)
		ping, err := r.ReadPacket()
		if err != nil {
			return
		}
		b, _ = wire.AppendPacket(nil, wire.Packet{Type: wire.PacketPong, Data: json.RawMessage(`{"seen":` + string(ping.Data) + `}`), Nonce: ping.Nonce})
		conn.Write(b)
		r.ReadPacket()
	}()
	raw, err := netipc.Dial(context.Background(), netipc.ClientOptions{Path: ln.Addr().String(), NoReconnect: true})
	require.NoError(t, err)
	defer raw.Destroy()
	_, err = raw.PingData(context.Background(), "hello")
	require.NoError(t, err)
}

// DestroyWith's reason reaches OnError and the error of the requests it
// cuts short, beside ErrConnClosed.
func TestClientDestroyWithReason(t *testing.T) {
	hold := make(chan struct{})
	asked := make(chan struct{}, 1)
	s := startServer(t, netipc.ServerOptions{OnRequest: []func(*netipc.ServerConn, json.RawMessage, func(any) error) bool{
		func(_ *netipc.ServerConn, _ json.RawMessage, reply func(any) error) bool {
			asked <- struct{}{}
			go func() { <-hold; reply(nil) }()
			return true
		},
	}})
	defer close(hold)
	errs := make(chan error, 4)
	c, err := netipc.Dial(context.Background(), netipc.ClientOptions{Path: s.Addr().String(), NoReconnect: true,
		OnError: func(err error) { errs <- err }})
	require.NoError(t, err)
	why := errors.New("shutting down the worker")
	done := make(chan error, 1)
	go func() {
		_, err := c.Request(context.Background(), "wait")
		done <- err
	}()
	<-asked // the request is in flight
	c.DestroyWith(why)
	err = <-done
	require.ErrorIs(t, err, netipc.ErrConnClosed)
	require.ErrorIs(t, err, why)
	require.ErrorIs(t, <-errs, why)
}
