package netipc_test

import (
	"io"
	"testing"

	"github.com/uvpipe/uvpipe/ipc/netipc"
	"github.com/uvpipe/uvpipe/ipc/netipc/wire"
)

// The GET upgrade preamble, as net-ipc's client sends it with handshake:
// true (and @isdk's with its own token): 101 Switching Protocols naming the
// token, then packets; a CONNECTION in the same write as the headers is
// not lost.
func TestServerUpgradePreamble(t *testing.T) {
	s := startServer(t, netipc.ServerOptions{GenerateID: func() string { return "u" }})
	for _, tok := range []string{"net-ipc", "isdk-ipc"} {
		r := dialRaw(t, s.Addr().String())
		hello := `{"t":0,"d":{}}`
		req := "GET / HTTP/1.1\r\nHost: " + tok + "\r\nConnection: Upgrade\r\nUpgrade: " + tok + "\r\n\r\n"
		if _, err := r.c.Write(append(wire.AppendPacketTag([]byte(req), len(hello)), hello...)); err != nil {
			t.Fatal(err)
		}
		want := "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: " + tok + "\r\n\r\n"
		got := make([]byte, len(want))
		if _, err := io.ReadFull(r.c, got); err != nil || string(got) != want {
			t.Fatalf("%s: %q %v", tok, got, err)
		}
		r.r = wire.NewPacketReader(r.c, 0)
		r.expect(`{"t":0,"d":{"id":"u"}}`)
		r.send(`{"t":4,"d":7,"n":"p"}`)
		r.expect(`{"t":5,"d":7,"n":"p"}`)
	}
}
