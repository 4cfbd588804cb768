package pipe_test

import (
	"context"
	"net"
	"testing"
	"time"

	"golang.org/x/net/nettest"

	"github.com/uvpipe/uvpipe/pipe"
)

// Net.Conn conformance (BasicIO, PingPong, RacyRead/RacyWrite,
// the timeouts, CloseTimeout, ConcurrentMethods) for a socket pair.
func TestNettestSocketPair(t *testing.T) {
	nettest.TestConn(t, func() (c1, c2 net.Conn, stop func(), err error) {
		a, b, err := pipe.SocketPair()
		if err != nil {
			return nil, nil, nil, err
		}
		return a, b, func() { a.Close(); b.Close() }, nil
	})
}

// The same for a socket pair that is not IPC (plain reads).
func TestNettestSocketPairNoIPC(t *testing.T) {
	nettest.TestConn(t, func() (c1, c2 net.Conn, stop func(), err error) {
		a, b, err := pipe.Config{}.SocketPair()
		if err != nil {
			return nil, nil, nil, err
		}
		return a, b, func() { a.Close(); b.Close() }, nil
	})
}

// Net.Conn conformance for a dialed pipe and the pipe its
// server accepted.
func TestNettestDialAccept(t *testing.T) {
	nettest.TestConn(t, func() (c1, c2 net.Conn, stop func(), err error) {
		path := sockPath(t)
		srv, err := pipe.Listen(path)
		if err != nil {
			return nil, nil, nil, err
		}
		type accepted struct {
			c   net.Conn
			err error
		}
		ch := make(chan accepted, 1)
		go func() {
			c, err := srv.Accept()
			ch <- accepted{c, err}
		}()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		d, err := pipe.Dial(ctx, path)
		if err != nil {
			srv.Close()
			<-ch
			return nil, nil, nil, err
		}
		var acc accepted
		select {
		case acc = <-ch:
		case <-time.After(10 * time.Second):
			srv.Close()
			acc = <-ch
		}
		if acc.err != nil {
			d.Close()
			srv.Close()
			return nil, nil, nil, acc.err
		}
		return d, acc.c, func() { d.Close(); acc.c.Close(); srv.Close() }, nil
	})
}
