package netipc_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/uvpipe/uvpipe/ipc/netipc"
)

// What OnConnect sends goes after the CONNECTION answer, so a client is
// ready before it gets it, on the wire and under node's net-ipc client.
func TestSendInsideOnConnectAfterAnswer(t *testing.T) {
	s := startServer(t, netipc.ServerOptions{OnConnect: func(c *netipc.ServerConn, _ json.RawMessage) error {
		return errors.Join(c.Send("early"), c.Send("second"))
	}})
	r := dialRaw(t, s.Addr().String())
	r.connect("e1")
	r.expect(`{"t":1,"d":"early"}`)
	r.expect(`{"t":1,"d":"second"}`)

	peer := nodeNetIPC(t, "early-client", s.Addr().String())
	defer peer.stop()
	nextLine(t, peer.lines, `{"event":"ready"}`)
	nextLine(t, peer.lines, `{"message":"early"}`)
	nextLine(t, peer.lines, `{"message":"second"}`)
}

// An OnConnect that ends the connection (the seed's connection.close())
// refuses it as an error does: the answer, then END with the reason.
func TestEndInsideOnConnectRefuses(t *testing.T) {
	s := startServer(t, netipc.ServerOptions{OnConnect: func(c *netipc.ServerConn, _ json.RawMessage) error {
		c.End("not you")
		return nil
	}})
	r := dialRaw(t, s.Addr().String())
	r.connect("e2")
	r.expect(`{"t":6,"d":{"m":"not you","a":false}}`)
}
